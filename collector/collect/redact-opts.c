// SPDX-License-Identifier: GPL-2.0-or-later
/* Redaction options and the map file's place (see redact-opts.h). */
#include "redact-opts.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "redact-stage.h"
#include "util.h"

int scx_redact_opts_parse(struct scx_redact_opts *ro, int c, const char *arg)
{
	switch (c) {
	case SCX_OPT_REDACT:
		ro->enabled = true;
		return 0;
	case SCX_OPT_REDACT_WORD:
		if (strlen(arg) < 2) {
			scx_log_error("--redact-word: '%s' is too short (2 characters or more)", arg);
			return -EINVAL;
		}
		if (ro->n_words == sizeof(ro->words) / sizeof(ro->words[0])) {
			scx_log_error("--redact-word: at most %zu words", sizeof(ro->words) / sizeof(ro->words[0]));
			return -EINVAL;
		}
		ro->words[ro->n_words++] = arg;
		ro->enabled = true;
		return 0;
	case SCX_OPT_REDACT_MAP:
		ro->map_path = arg;
		ro->enabled = true;
		return 0;
	}
	return -EINVAL;
}

static const char *map_path(const struct scx_redact_opts *ro)
{
	return ro->map_path ? ro->map_path : ro->map_default;
}

static int load(struct scx_redact_opts *ro, const char *path)
{
	char err[512];
	int r = scx_redact_load_map(ro->engine, path, err, sizeof(err));

	if (r < 0 && r != -ENOENT) {
		scx_log_error("redaction map: %s", err);
		return r;
	}
	return 0;
}

int scx_redact_opts_set_output(struct scx_redact_opts *ro, const char *bundle)
{
	snprintf(ro->map_default, sizeof(ro->map_default), "%s.redact-map.json", bundle);
	return ro->map_path ? 0 : load(ro, ro->map_default);
}

int scx_redact_opts_apply(struct scx_redact_opts *ro, const char *top, json_t **report,
			  json_t **ret_note)
{
	json_t *dropped;
	int r = scx_redact_stage(ro->engine, top, report, &dropped);

	if (r < 0)
		return r;
	*ret_note = scx_redact_manifest_note(dropped);
	return 0;
}

int scx_redact_opts_begin(struct scx_redact_opts *ro)
{
	const char *sudo_user = getenv("SUDO_USER");
	struct passwd *pw;
	int r;

	ro->engine = scx_redact_new();
	if (!ro->engine) {
		scx_log_error("redact: out of memory");
		return -ENOMEM;
	}
	if (ro->map_path && (r = load(ro, ro->map_path)) < 0)
		return r;
	for (unsigned i = 0; i < ro->n_words; i++)
		scx_redact_add_word(ro->engine, ro->words[i]);
	/* The people at the keyboard: the login user and the one sudo ran for. */
	if (sudo_user)
		scx_redact_add_user(ro->engine, sudo_user);
	pw = getpwuid(getuid());
	if (pw)
		scx_redact_add_user(ro->engine, pw->pw_name);
	return 0;
}

int scx_redact_opts_end(struct scx_redact_opts *ro)
{
	int r = scx_redact_save_map(ro->engine, map_path(ro));

	if (r < 0) {
		scx_log_error("%s: cannot write the redaction map: %s", map_path(ro), strerror(-r));
		return r;
	}
	scx_log_info("redaction map (keep it private) in %s", map_path(ro));
	return 0;
}

void scx_redact_opts_free(struct scx_redact_opts *ro)
{
	ro->engine = scx_redact_free(ro->engine);
}
