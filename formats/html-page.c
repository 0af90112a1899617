// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: a self-contained page (inline CSS and SVG, no scripts, no
 * external resources) rendered from report.json alone, for a support
 * engineer's or a scheduler author's browser, a phone, or paper.
 *
 * The page: the verdict banner (coloured by class, the sentence, who to
 * report to, the evidence), the scheduler's identity card, the system, the
 * sched_ext history, the paired run's charts, the latency histograms, the
 * probes' status and summary.txt.  Sections are in html-*.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "html.h"
#include "qos-scorecard.h"
#include "model.h"
#include "units.h"

const char html_css[] =
	":root{--fg:#1b1b1b;--muted:#555;--line:#d0d0d0;--bg2:#f5f5f5;"
	"--custom:#d55e00;--default:#0072b2;--ok:#1a7f37;--bad:#b3261e;--warn:#8a6100}\n"
	"*{box-sizing:border-box}\n"
	"body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);"
	"max-width:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}\n"
	"h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2rem 0 .6rem;"
	"border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
	".meta{color:var(--muted);margin:.2rem 0 1rem;overflow-wrap:anywhere}\n"
	"nav.toc{font-size:.95rem;margin:1rem 0}nav.toc a{margin-right:1rem;white-space:nowrap}\n"
	".verdict{border-left:.6rem solid var(--vc);background:var(--vb);padding:.8rem 1rem;"
	"border-radius:.3rem;margin:1rem 0}\n"
	".verdict .vclass{font-weight:700;font-size:1.2rem;margin:0;color:var(--vc)}\n"
	".verdict .vsum{font-size:1.1rem;margin:.3rem 0}.verdict .vto,.verdict .vfig{margin:.3rem 0}\n"
	".verdict ul{margin:.4rem 0 0;padding-left:1.2rem;font-size:.95rem}\n"
	".missing{border-left:.6rem solid #b58900;background:#fdf6e3;padding:.5rem 1rem;margin:1rem 0}\n"
	".missing h2{font-size:1rem;margin:.3rem 0}.missing ul{margin:.2rem 0;padding-left:1.2rem}\n"
	".v-custom-scheduler-failure{--vc:#a3141b;--vb:#fbe9e9}\n"
	".v-custom-scheduler-regression{--vc:#b3261e;--vb:#fdf0ec}\n"
	".v-reproduces-on-default{--vc:#6a3d9a;--vb:#f3eefa}\n"
	".v-no-significant-difference{--vc:#3d5a80;--vb:#eef3f8}\n"
	".v-custom-scheduler-better{--vc:#1a7f37;--vb:#ecf7ef}\n"
	".v-no-custom-scheduler{--vc:#0b5cad;--vb:#eaf2fb}\n"
	".v-inconclusive,.v-unknown{--vc:#7a5a00;--vb:#fbf5e4}\n"
	".card{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.2rem 1rem;"
	"margin:.5rem 0}.card dt{font-weight:600;color:var(--muted)}.card dd{margin:0;overflow-wrap:anywhere}\n"
	"code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}\n"
	"table{border-collapse:collapse;margin:.4rem 0}th,td{padding:.25rem .6rem;text-align:left;"
	"vertical-align:top;border-bottom:1px solid var(--line)}thead th{background:var(--bg2)}\n"
	"table.data td{font-variant-numeric:tabular-nums}\n"
	"table.kv th{font-weight:600;color:var(--muted);white-space:nowrap}\n"
	".scroll{overflow-x:auto;max-width:100%}\n"
	"figure.chart-fig{margin:1rem 0 1.5rem;max-width:46rem}\n"
	"figcaption{color:var(--muted);font-size:.95rem;margin:.3rem 0}\n"
	"svg.chart{width:100%;height:auto;display:block;background:#fff}\n"
	".chart text{font-size:13px;fill:#333;font-family:system-ui,sans-serif}\n"
	".chart text.axis{font-size:13px;fill:#111}.chart text.lbl{font-size:12px}\n"
	".chart .frame{fill:none;stroke:#999}.chart .grid{stroke:#e6e6e6}\n"
	".chart .custom{fill:var(--custom);stroke:var(--custom)}"
	".chart .default{fill:var(--default);stroke:var(--default)}\n"
	".chart .calib{fill:#888;stroke:#888}.chart .hollow{fill:#fff;stroke-width:1.5}\n"
	".chart polyline{fill:none!important;stroke-width:2.5}.chart polyline.thin{stroke-width:1;opacity:.45}\n"
	".chart .median{stroke-width:1.5;stroke-dasharray:5 4}.chart .ref{stroke:#444;stroke-dasharray:3 3}\n"
	".chart .ci{stroke-width:2}.chart .bar{fill:#5b8fc7;stroke:none}.chart .bar.rt{fill:#b07aa1}\n"
	".chart .ev-enabled{fill:var(--ok)}.chart .ev-disabled{fill:#777}"
	".chart .ev-error,.chart .ev-oops,.chart .ev-soft-lockup{fill:var(--bad)}"
	".chart .ev-other{fill:var(--warn)}.chart .lane{stroke:#bbb}\n"
	".legend{font-size:.9rem;margin:.2rem 0}.legend span{margin-right:1rem;white-space:nowrap}\n"
	".sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.05rem}\n"
	".sw.custom{background:var(--custom);border-radius:50%}.sw.default{background:var(--default)}\n"
	"details.fallback{margin:.3rem 0}details.fallback summary{cursor:pointer;color:var(--muted)}\n"
	"pre{background:var(--bg2);padding:.8rem;white-space:pre-wrap;overflow-wrap:anywhere;"
	"font-size:.85rem}\n"
	".status-ok{color:var(--ok)}.status-failed{color:var(--bad)}.status-skipped{color:var(--muted)}\n"
	"footer{margin-top:2rem;color:var(--muted);font-size:.9rem}\n"
	"@media (max-width:40rem){body{font-size:15px;padding:.6rem .7rem 2rem}"
	".card{grid-template-columns:1fr}.card dd{margin-bottom:.4rem}"
	"th,td{padding:.2rem .35rem}.chart text{font-size:17px}.chart text.axis{font-size:17px}"
	".chart text.lbl{font-size:15px}.chart text.ytitle{display:none}}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}nav.toc{display:none}"
	"a{color:inherit;text-decoration:none}.verdict{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}figure,table,.verdict{break-inside:avoid}h2{break-after:avoid}"
	"details.fallback summary{display:none}"
	"details.fallback::details-content{content-visibility:visible;display:contents}"
	"pre{white-space:pre-wrap}}\n";

static void verdict_banner(FILE *f, const json_t *r)
{
	const char *cls = jstr(r, "verdict.class");
	const json_t *ev = jget(r, "verdict.evidence"), *e;
	size_t i;

	if (!cls)
		return;
	/* The class names a CSS rule only when it is one of ours: [a-z-] only. */
	bool plain = strspn(cls, "abcdefghijklmnopqrstuvwxyz-") == strlen(cls);
	fprintf(f, "<section class=\"verdict v-%s\" id=\"verdict\" aria-label=\"Verdict\">\n",
		plain ? cls : "unknown");
	fputs("<p class=\"vclass\">Verdict: ", f);
	scx_xml_esc(f, cls);
	fputs("</p>\n<p class=\"vsum\">", f);
	scx_xml_esc(f, jstr(r, "verdict.summary"));
	fputs("</p>\n", f);
	if (jstr(r, "verdict.signature")) {
		fputs("<p class=\"vsig\"><strong>Signature:</strong> ", f);
		scx_xml_esc(f, jstr(r, "verdict.signature"));
		fputs("</p>\n", f);
	}
	if (jstr(r, "paired.result.figure")) {
		char fig[256];

		scx_fmt_paired_result(fig, sizeof(fig), jget(r, "paired.result"), jstr(r, "paired.ops"));
		fputs("<p class=\"vfig\"><strong>Measured:</strong> ", f);
		scx_xml_esc(f, fig);
		fputs("</p>\n", f);
	}
	if (jstr(r, "verdict.report_to")) {
		fputs("<p class=\"vto\"><strong>Report to:</strong> ", f);
		scx_xml_esc(f, jstr(r, "verdict.report_to"));
		fputs("</p>\n", f);
	}
	if (json_array_size(ev)) {
		fputs("<ul class=\"evidence\">\n", f);
		json_array_foreach(ev, i, e) {
			fputs("<li>", f);
			scx_xml_esc(f, json_string_value(e));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
}

static void section_system(FILE *f, const json_t *r)
{
	const json_t *events = jget(r, "sched_ext.events"), *v;
	const char *k;
	char buf[64];

	fputs("<section id=\"system\"><h2>System</h2>\n<div class=\"scroll\"><table class=\"kv\">\n", f);
	html_row(f, "host", jstr(r, "collection.hostname"));
	html_row(f, "kernel", jstr(r, "host.kernel"));
	html_row(f, "kernel build", jstr(r, "host.version"));
	html_row(f, "arch", jstr(r, "host.arch"));
	html_row(f, "os", jstr(r, "host.os"));
	html_row(f, "cpu", jstr(r, "system.cpu.model"));
	if (!isnan(html_num(r, "system.cpu.online_count")))
		html_rowf(f, "cpus online", "%.0f", html_num(r, "system.cpu.online_count"));
	if (jstr(r, "kernel.taint.letters"))
		html_row(f, "taint", *jstr(r, "kernel.taint.letters") ? jstr(r, "kernel.taint.letters")
								     : "not tainted");
	if (json_is_false(jget(r, "sched_ext.supported")))
		html_rowf(f, "sched_ext", "not available: %s",
			  jstr(r, "sched_ext.reason") ? jstr(r, "sched_ext.reason") : "unknown reason");
	html_row(f, "sched_ext state", jstr(r, "sched_ext.state"));
	html_row(f, "scheduler ops", jstr(r, "sched_ext.ops"));
	html_row(f, "switch_all", jstr(r, "sched_ext.switch_all"));
	for (const char *const *c = (const char *const[]){ "nr_rejected", "enable_seq", "hotplug_seq", NULL };
	     *c; c++) {
		char path[64];

		snprintf(path, sizeof(path), "sched_ext.%s", *c);
		html_fmt_num(buf, sizeof(buf), html_num(r, path));
		if (jget(r, path))
			html_row(f, *c, json_is_string(jget(r, path)) ? jstr(r, path) : buf);
	}
	fputs("</table></div>\n", f);
	if (json_object_size(events)) {
		fputs("<h3>sched_ext event counters</h3>\n<div class=\"scroll\"><table class=\"data\">\n", f);
		html_thead(f, (const char *const[]){ "counter", "count", NULL });
		fputs("<tbody>\n", f);
		json_object_foreach((json_t *)events, k, v) {
			html_fmt_num(buf, sizeof(buf), json_number_value(v));
			fputs("<tr>", f);
			html_td(f, k);
			html_td(f, json_is_number(v) ? buf : json_string_value(v));
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></div>\n", f);
	}
	fputs("</section>\n", f);
}

static void section_probes(FILE *f, const json_t *r)
{
	const json_t *probes = jget(r, "probes"), *p;
	const char *name;

	if (!json_object_size(probes))
		return;
	fputs("<section id=\"probes\"><h2>Probes</h2>\n<div class=\"scroll\"><table class=\"data\">\n", f);
	html_thead(f, (const char *const[]){ "probe", "status", "why", "ms", NULL });
	fputs("<tbody>\n", f);
	json_object_foreach((json_t *)probes, name, p) {
		const char *st = jstr(p, "status") ? jstr(p, "status") : "?";
		bool plain = strspn(st, "abcdefghijklmnopqrstuvwxyz") == strlen(st);

		fputs("<tr>", f);
		html_td(f, name);
		fprintf(f, "<td class=\"status-%s\">", plain ? st : "other");
		scx_xml_esc(f, st);
		fputs("</td>", f);
		html_td(f, jstr(p, "reason"));
		html_tdf(f, "%.1f", html_num(p, "duration_ms"));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void section_summary(FILE *f, const json_t *r)
{
	char *summary = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&summary, &len);

	if (!mem)
		return;
	scx_summary_render(mem, r);
	fclose(mem);
	fputs("<section id=\"summary\"><h2>summary.txt</h2>\n<details><summary>The text summary"
	      " (as <code>scx-report show</code> prints it)</summary>\n<pre>", f);
	scx_xml_esc(f, summary);
	fputs("</pre></details></section>\n", f);
	free(summary);
}

static void toc(FILE *f, const json_t *r)
{
	fputs("<nav class=\"toc\" aria-label=\"Contents\">", f);
	if (jget(r, "scheduler"))
		fputs("<a href=\"#scheduler\">Scheduler</a>", f);
	fputs("<a href=\"#system\">System</a><a href=\"#history\">History</a>", f);
	if (jstr(r, "paired.status"))
		fputs("<a href=\"#paired\">Paired run</a>", f);
	if (jget(r, "latency"))
		fputs("<a href=\"#latency\">Latency</a>", f);
	fputs("<a href=\"#probes\">Probes</a><a href=\"#summary\">Summary</a></nav>\n", f);
}

void scx_html_render(FILE *f, const json_t *r)
{
	/* A qos bundle (scx-report qos -o): its page is the scorecard, as its summary is. */
	if (json_is_object(jget(r, "qos")) && !jget(r, "verdict")) {
		scx_qos_scorecard_html(f, jget(r, "qos"));
		return;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      SCX_HTML_CSP_META
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"scx-report\">\n<title>scx-report: ", f);
	scx_xml_esc(f, jstr(r, "collection.hostname"));
	fputs(" ", f);
	scx_xml_esc(f, jstr(r, "collection.start"));
	fprintf(f, "</title>\n<style>\n%s</style></head><body>\n<header><h1>scx-report</h1>\n"
		"<p class=\"meta\">", html_css);
	scx_xml_esc(f, jstr(r, "collection.hostname"));
	fputs(" · collected ", f);
	scx_xml_esc(f, jstr(r, "collection.start"));
	fputs(" · kernel ", f);
	scx_xml_esc(f, jstr(r, "host.kernel"));
	fputs(" · ", f);
	scx_xml_esc(f, jstr(r, "tool.name"));
	fputs(" ", f);
	scx_xml_esc(f, jstr(r, "tool.version"));
	fputs("</p></header>\n<main>\n", f);
	verdict_banner(f, r);
	html_section_missing(f, r);
	toc(f, r);
	html_section_identity(f, r);
	section_system(f, r);
	html_section_history(f, r);
	html_section_paired(f, r);
	html_section_latency(f, r);
	section_probes(f, r);
	section_summary(f, r);
	fputs("</main>\n<footer>Written by scx-report from report.json; every chart has its data as"
	      " a table below it.</footer>\n</body></html>\n", f);
}
