// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bugzilla upload against a small HTTP server on 127.0.0.1 that checks what
 * a real Bugzilla 5 reads: the path, the key (body or header), the JSON body
 * with the file base64-encoded; and answers success or an error code.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <string.h>
#include <stdbool.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "bugzilla.h"
#include "util.h"

struct server {
	int fd;
	int port;
	const char *reply_status;	/* "200 OK" */
	const char *reply_body;
	char request[1 << 20];
	size_t len;
};

static void *serve_one(void *arg)
{
	struct server *s = arg;
	int c = accept(s->fd, NULL, NULL);
	size_t need = 0;
	char *hdr_end;

	if (c < 0)
		return NULL;
	for (;;) {
		ssize_t n = read(c, s->request + s->len, sizeof(s->request) - 1 - s->len);

		if (n <= 0)
			break;
		s->len += (size_t)n;
		s->request[s->len] = '\0';
		hdr_end = strstr(s->request, "\r\n\r\n");
		if (hdr_end && !need) {
			char *cl = strcasestr(s->request, "Content-Length:");

			need = (size_t)(hdr_end + 4 - s->request) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (need && s->len >= need)
			break;
	}
	dprintf(c, "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		"Connection: close\r\n\r\n%s", s->reply_status, strlen(s->reply_body), s->reply_body);
	close(c);
	return NULL;
}

/*
 * Whether a connection to 127.0.0.1 completes: not in a network namespace whose lo is down
 * (`unshare -n`, pbuilder without network), where connect() hangs until curl's timeout.
 */
static bool loopback_up(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct pollfd p = { .fd = c, .events = POLLOUT };
	int err = -1;
	socklen_t el = sizeof(err);

	if (l >= 0 && c >= 0 && bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 1) == 0 &&
	    getsockname(l, (struct sockaddr *)&a, &al) == 0 &&
	    (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 || errno == EINPROGRESS) &&
	    poll(&p, 1, 2000) == 1)
		getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
	if (l >= 0)
		close(l);
	if (c >= 0)
		close(c);
	return err == 0;
}

static pthread_t start_server(struct server *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	pthread_t t;

	if (!loopback_up()) {
		print_message("127.0.0.1 is unreachable (loopback down in this network namespace): skipped\n");
		skip();
	}
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 1), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&t, NULL, serve_one, s), 0);
	return t;
}

static const char *body_of(struct server *s)
{
	char *b = strstr(s->request, "\r\n\r\n");

	return b ? b + 4 : "";
}

static char bundle_path[] = "/tmp/scx-test-bz.XXXXXX";
static const char content[] = "\x28\xb5\x2f\xfd not really zstd, but bytes \x01\x02\xff";

static int setup(void **state)
{
	int fd = mkstemp(bundle_path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, sizeof(content) - 1), (ssize_t)sizeof(content) - 1);
	close(fd);
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	setenv("no_proxy", "127.0.0.1", 1);
	return 0;
}

static int teardown(void **state)
{
	unlink(bundle_path);
	return 0;
}

static struct scx_bz_request request(char *url, size_t len, int port)
{
	snprintf(url, len, "http://127.0.0.1:%d/", port);
	return (struct scx_bz_request){
		.base_url = url, .bug_id = 4242, .api_key = "s3cret", .auth = SCX_BZ_AUTH_KEY,
		.file_path = bundle_path, .file_name = "bug.tar.zst", .summary = "scx-report bundle",
		.comment = "collected with scx-report", .timeout_s = 10,
		.insecure = true,	/* the test server speaks plain http */
	};
}

static void test_attach_with_api_key(void **state)
{
	static struct server s = { .reply_status = "201 Created", .reply_body = "{\"ids\":[\"987\"]}" };
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);
	json_t *body;
	const char *data;

	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), 0);
	pthread_join(t, NULL);
	close(s.fd);
	assert_int_equal(id, 987);
	assert_true(startswith(s.request, "POST /rest/bug/4242/attachment HTTP/1.1\r\n"));
	assert_non_null(strcasestr(s.request, "\r\nX-BUGZILLA-API-KEY: s3cret\r\n"));
	assert_null(strstr(s.request, "s3cret HTTP"));	/* never in the URL */
	body = json_loads(body_of(&s), 0, NULL);
	assert_non_null(body);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(body, "ids"), 0)), 4242);
	assert_string_equal(json_string_value(json_object_get(body, "file_name")), "bug.tar.zst");
	assert_string_equal(json_string_value(json_object_get(body, "content_type")), "application/zstd");
	assert_string_equal(json_string_value(json_object_get(body, "api_key")), "s3cret");
	assert_true(json_is_false(json_object_get(body, "is_patch")));
	assert_string_equal(json_string_value(json_object_get(body, "comment")), "collected with scx-report");
	data = json_string_value(json_object_get(body, "data"));
	/* content in base64, as coreutils' `base64 -w0` writes it */
	assert_string_equal(data, "KLUv/SBub3QgcmVhbGx5IHpzdGQsIGJ1dCBieXRlcyABAv8=");
	json_decref(body);
}

static void test_attach_bearer(void **state)
{
	static struct server s = { .reply_status = "201 Created", .reply_body = "{\"ids\":[55]}" };
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);
	json_t *body;

	req.auth = SCX_BZ_AUTH_BEARER;
	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), 0);
	pthread_join(t, NULL);
	close(s.fd);
	assert_int_equal(id, 55);
	assert_non_null(strcasestr(s.request, "\r\nAuthorization: Bearer s3cret\r\n"));
	body = json_loads(body_of(&s), 0, NULL);
	assert_null(json_object_get(body, "api_key"));
	json_decref(body);
}

static void test_attach_too_large(void **state)
{
	static struct server s = {
		.reply_status = "400 Bad Request",
		.reply_body = "{\"error\":true,\"code\":600,\"message\":\"Attachments cannot be\\nmore than 1000 KB.\"}",
	};
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);

	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), -EFBIG);
	pthread_join(t, NULL);
	close(s.fd);
	assert_non_null(strstr(err, "error 600"));
	assert_non_null(strstr(err, "larger than this Bugzilla accepts"));
	assert_null(strchr(err, '\n'));
}

static void test_attach_auth_error(void **state)
{
	static struct server s = {
		.reply_status = "401 Unauthorized",
		.reply_body = "{\"error\":true,\"code\":306,\"message\":\"The API key you specified is invalid.\"}",
	};
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);

	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), -EIO);
	pthread_join(t, NULL);
	close(s.fd);
	assert_non_null(strstr(err, "HTTP 401"));
	assert_non_null(strstr(err, "API key you specified is invalid"));
}

static void test_attach_unreachable(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	char url[64], err[256];
	unsigned long id = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	/* A port that was free a moment ago: nothing listens there. */
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	port = ntohs(a.sin_port);
	close(fd);
	struct scx_bz_request req = request(url, sizeof(url), port);
	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "127.0.0.1"));
}

/* is_private travels in the body when asked for, and only then. */
static void test_attach_private(void **state)
{
	static struct server s = { .reply_status = "201 Created", .reply_body = "{\"ids\":[7]}" };
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);
	json_t *body;
	char *text;

	req.is_private = true;
	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), 0);
	pthread_join(t, NULL);
	close(s.fd);
	body = json_loads(body_of(&s), 0, NULL);
	assert_true(json_is_true(json_object_get(body, "is_private")));
	json_decref(body);
	req.is_private = false;
	text = scx_bz_body(&req, "x", 1);
	body = json_loads(text, 0, NULL);
	free(text);
	assert_null(json_object_get(body, "is_private"));
	json_decref(body);
}

/* Without insecure, an http:// Bugzilla gets nothing: not the key, not a connection. */
static void test_http_refused(void **state)
{
	static struct server s = { .reply_status = "201 Created", .reply_body = "{\"ids\":[7]}" };
	char url[64], err[256];
	unsigned long id = 0;
	pthread_t t = start_server(&s);
	struct scx_bz_request req = request(url, sizeof(url), s.port);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd;

	req.insecure = false;
	assert_int_equal(scx_bz_attach(&req, &id, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "http"));
	/* Let the server thread go: one connection of ours, which it answers. */
	a.sin_port = htons((uint16_t)s.port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(fd, "X\r\n\r\n", 5), 5);
	pthread_join(t, NULL);
	close(fd);
	close(s.fd);
	assert_null(strstr(s.request, "s3cret"));
	assert_false(startswith(s.request, "POST"));
}

/*
 * The CLI: the key file's first line only, --private, and --dry-run that
 * sends nothing and never prints the key.
 */
static void test_cli_key_first_line(void **state)
{
	static struct server s = { .reply_status = "201 Created", .reply_body = "{\"ids\":[77]}" };
	char dir[] = "/tmp/scx-test-bzcli.XXXXXX", keyfile[PATH_MAX], bundle[PATH_MAX], url[64],
	     cmd[4 * PATH_MAX], out[1024] = "";
	const char *exe = getenv("SCX_REPORT"), *data = getenv("SCX_TEST_DATA");
	pthread_t t;
	FILE *p;
	json_t *body;

	if (!exe || !data)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(keyfile, sizeof(keyfile), "%s/key", dir);
	snprintf(bundle, sizeof(bundle), "%s/bug.tar.zst", dir);
	assert_int_equal(write_file_full(keyfile, "firstline-key\nsecond-line-secret\n", 34, 0600), 0);
	snprintf(cmd, sizeof(cmd), "%s collect -q --sysroot %s/host-debian12 --no-latency --no-paired "
		 "-o %s >/dev/null", exe, data, bundle);
	assert_int_equal(system(cmd), 0);

	snprintf(cmd, sizeof(cmd), "%s attach --insecure --bugzilla http://127.0.0.1:1/ --bug 9 "
		 "--api-key-file %s --private --dry-run %s", exe, keyfile, bundle);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_true(fread(out, 1, sizeof(out) - 1, p) > 0);
	assert_int_equal(pclose(p), 0);
	assert_null(strstr(out, "firstline-key"));
	assert_non_null(strstr(out, "is_private true"));
	assert_non_null(strstr(out, "nothing was sent"));

	t = start_server(&s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
	snprintf(cmd, sizeof(cmd), "%s attach --insecure --bugzilla %s --bug 9 --api-key-file %s "
		 "--private %s >/dev/null", exe, url, keyfile, bundle);
	assert_int_equal(system(cmd), 0);
	pthread_join(t, NULL);
	close(s.fd);
	body = json_loads(body_of(&s), 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "api_key")), "firstline-key");
	assert_true(json_is_true(json_object_get(body, "is_private")));
	assert_null(strstr(s.request, "second-line-secret"));
	json_decref(body);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_with_api_key),
		cmocka_unit_test(test_attach_bearer),
		cmocka_unit_test(test_attach_too_large),
		cmocka_unit_test(test_attach_auth_error),
		cmocka_unit_test(test_attach_unreachable),
		cmocka_unit_test(test_attach_private),
		cmocka_unit_test(test_http_refused),
		cmocka_unit_test(test_cli_key_first_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
