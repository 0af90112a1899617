// SPDX-License-Identifier: GPL-2.0-or-later
/* report.html: the scheduler's identity card and its BPF programs. */
#include <math.h>
#include <string.h>

#include "html.h"
#include "model.h"

static void dd(FILE *f, const char *term, const char *value, bool mono)
{
	if (!value)
		return;
	fputs("<dt>", f);
	scx_xml_esc(f, term);
	fputs(mono ? "</dt><dd class=\"mono\">" : "</dt><dd>", f);
	scx_xml_esc(f, value);
	fputs("</dd>\n", f);
}

static const char *prog_type(double t)
{
	/* The program types a scheduler brings (enum bpf_prog_type). */
	switch ((int)t) {
	case 1: return "socket_filter";
	case 5: return "tracepoint";
	case 17: return "raw_tracepoint";
	case 26: return "tracing";
	case 27: return "struct_ops";
	case 28: return "ext";
	case 31: return "syscall";
	default: return NULL;
	}
}

static void programs_table(FILE *f, const json_t *progs)
{
	const json_t *p;
	size_t i;
	char a[32], b[32];

	if (!json_array_size(progs))
		return;
	fprintf(f, "<h3>BPF programs (%zu)</h3>\n<div class=\"scroll\"><table class=\"data\" "
		"id=\"bpf-programs\">\n", json_array_size(progs));
	html_thead(f, (const char *const[]){ "id", "name", "tag", "type", "runs", "run time",
					     "xlated / jited bytes", NULL });
	fputs("<tbody>\n", f);
	json_array_foreach(progs, i, p) {
		const char *t = prog_type(html_num(p, "type"));

		fputs("<tr>", f);
		html_fmt_num(a, sizeof(a), html_num(p, "id"));
		html_td(f, a);
		html_td(f, jstr(p, "name"));
		fputs("<td class=\"mono\">", f);
		scx_xml_esc(f, jstr(p, "tag"));
		fputs("</td>", f);
		if (t)
			html_td(f, t);
		else
			html_tdf(f, "%.0f", html_num(p, "type"));
		html_fmt_num(a, sizeof(a), html_num(p, "run_cnt"));
		html_td(f, a);
		html_fmt_ns(a, sizeof(a), html_num(p, "run_time_ns"));
		html_td(f, a);
		html_fmt_num(a, sizeof(a), html_num(p, "xlated_len"));
		html_fmt_num(b, sizeof(b), html_num(p, "jited_len"));
		html_tdf(f, "%s / %s", a, b);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

void html_section_identity(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "scheduler");
	char buf[512];

	if (!s)
		return;
	fputs("<section id=\"scheduler\"><h2>Scheduler</h2>\n", f);
	if (!json_is_true(json_object_get(s, "active"))) {
		fputs("<p>No custom scheduler is registered", f);
		if (json_is_false(jget(r, "sched_ext.supported")))
			fputs(": this kernel has no sched_ext", f);
		fputs(".</p>\n", f);
		goto out;
	}
	fputs("<dl class=\"card\" id=\"identity\">\n", f);
	dd(f, "name", jstr(s, "name"), false);
	dd(f, "version", jstr(s, "version") ? jstr(s, "version") : "— (the name carries none)", false);
	dd(f, "ops", jstr(s, "ops"), true);
	if (jstr(s, "provenance")) {
		snprintf(buf, sizeof(buf), "%s%s%s", jstr(s, "provenance"),
			 jstr(s, "provenance_reason") ? ": " : "",
			 jstr(s, "provenance_reason") ? jstr(s, "provenance_reason") : "");
		dd(f, "provenance", buf, false);
	}
	if (jstr(s, "manager")) {
		snprintf(buf, sizeof(buf), "%s%s%s", jstr(s, "manager"), jstr(s, "unit") ? ", unit " : "",
			 jstr(s, "unit") ? jstr(s, "unit") : "");
		dd(f, "manager", buf, false);
	}
	if (jstr(s, "package.name")) {
		snprintf(buf, sizeof(buf), "%s %s (%s, %s)", jstr(s, "package.name"),
			 jstr(s, "package.version") ? jstr(s, "package.version") : "",
			 jstr(s, "package.manager") ? jstr(s, "package.manager") : "?",
			 json_is_true(jget(s, "package.verified")) ? "verified" : "not verified");
		dd(f, "package", buf, false);
	}
	dd(f, "executable", jstr(s, "exe.path"), true);
	dd(f, "sha256", jstr(s, "sha256"), true);
	dd(f, "build-id", jstr(s, "build_id"), true);
	if (!isnan(html_num(s, "process.pid"))) {
		snprintf(buf, sizeof(buf), "%.0f (%s)", html_num(s, "process.pid"),
			 jstr(s, "process.comm") ? jstr(s, "process.comm") : "?");
		dd(f, "process", buf, false);
	}
	if (jstr(s, "trusted.name")) {
		snprintf(buf, sizeof(buf), "listed as %s %s in %s", jstr(s, "trusted.name"),
			 jstr(s, "trusted.version") ? jstr(s, "trusted.version") : "",
			 jstr(s, "trusted.file") ? jstr(s, "trusted.file") : "a trusted list");
		dd(f, "trusted", buf, false);
	}
	dd(f, "trust warning", jstr(s, "trust_warning"), false);
	fputs("</dl>\n", f);
	programs_table(f, jget(s, "bpf.programs"));
out:
	fputs("</section>\n", f);
}
