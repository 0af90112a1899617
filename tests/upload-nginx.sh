#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `scx-report attach --url` against a real nginx from Debian on 127.0.0.1, over TLS with
# a test CA made here by openssl:
# - PUT (WebDAV dav_methods PUT): the file arrives byte-identical (sha256), the sha256
#   headers arrive (access log), one line on success naming the URL;
# - POST multipart (--form): the part arrives byte-identical (echo module keeps the body);
# - a server certificate from another CA is refused; http:// is refused without --insecure;
#   a redirect to http:// is not followed;
# - a 413 (client_max_body_size) gives one clear line; --max-size refuses before sending;
# - --dry-run prints what would be sent and sends nothing.
# Skipped (77) when nginx or openssl is missing (scripts/install-deps.sh --tests installs them).
# usage: upload-nginx.sh SCX_REPORT SOURCE_ROOT
set -eu
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] && command -v openssl >/dev/null || { echo "nginx or openssl missing: skipped"; exit 77; }
work=$(mktemp -d)
cleanup() {
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
[ -z "${KEEP:-}" ] || trap - EXIT
bundle=$work/bug.tar.zst
"$exe" collect --sysroot "$src/tests/data/host-debian12" --no-latency --no-paired -q -o "$bundle" >/dev/null
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# A test CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA.
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=scx-test-ca 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt -days 2 -subj /CN=other-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
	-extfile san.ext 2>/dev/null
mkdir -p www/upload www/small tmp bodies
# As root, nginx's workers run as an unprivileged user: let them in.
chmod 755 "$work"
chmod 777 www/upload www/small tmp bodies
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >nginx.conf <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
	log_format sums '\$request_method \$uri \$status sha=\$http_x_checksum_sha256 digest=\$http_content_digest';
	access_log $work/access.log sums;
	client_body_temp_path $work/tmp;
	proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $work/server.crt;
		ssl_certificate_key $work/server.key;
		root $work/www;
		client_max_body_size 16m;
		location /upload/ { dav_methods PUT; create_full_put_path on; }
		location /small/ { dav_methods PUT; client_max_body_size 1k; }
		location /form/ {
			client_body_in_file_only on;
			client_body_temp_path $work/bodies;
			echo_read_request_body;
			echo "stored";
		}
		location /redirect-http/ { return 307 http://127.0.0.1:$port/upload/r.tar.zst; }
		location /redirect-https/ { return 307 https://127.0.0.1:$port/upload/moved.tar.zst; }
	}
}
CONF
"$nginx" -c "$work/nginx.conf" -p "$work" -e "$work/error.log"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s nginx.pid ] && break; sleep 0.2; done
# A network namespace without loopback (a build daemon's `unshare -n`) cannot reach nginx:
# nothing here can be shown, so skip rather than blame the uploader.
if ! bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
	echo "127.0.0.1:$port is unreachable (no loopback in this network namespace?): skipped"
	exit 77
fi
url=https://127.0.0.1:$port
sum=$(sha256sum "$bundle" | cut -d' ' -f1)

# attach EXPECTED_RC NAME ARGS... : stdout+stderr in $work/out, one line asserted on failure
attach() {
	want=$1; name=$2; shift 2
	set +e
	"$exe" attach "$@" "$bundle" >"$work/out" 2>&1
	rc=$?
	set -e
	lines=$(wc -l <"$work/out")
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, want $want: $(head -n 3 "$work/out")"
		return 1
	fi
	if [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		bad "$name: $lines lines, want one: $(cat "$work/out")"
		return 1
	fi
	return 0
}

if attach 0 put --url "$url/upload/bug.tar.zst?X-Sig=secret" --cacert ca.crt; then
	got=$(sha256sum www/upload/bug.tar.zst | cut -d' ' -f1)
	[ "$got" = "$sum" ] && ok "PUT: arrived byte-identical (sha256 $got)" || bad "PUT: sha256 $got, sent $sum"
	grep -q "PUT /upload/bug.tar.zst 201 sha=$sum digest=sha-256=:" access.log &&
		ok "PUT: X-Checksum-Sha256 and Content-Digest headers arrived" || bad "PUT: checksum headers missing: $(tail -n 1 access.log)"
	grep -q "$url/upload/bug.tar.zst" "$work/out" && ! grep -q secret "$work/out" &&
		ok "PUT: one line names the URL, not its query: $(cat "$work/out")" || bad "PUT output: $(cat "$work/out")"
fi
if attach 0 form --url "$url/form/" --form bundle --cacert ca.crt; then
	body=$(ls bodies/* | head -n 1)
	got=$(python3 - "$body" <<'PY'
import email, hashlib, sys
raw = open(sys.argv[1], "rb").read()
ctype = raw.split(b"\r\n", 1)[0][2:]  # the boundary line
msg = email.message_from_bytes(b"Content-Type: multipart/form-data; boundary=" + ctype + b"\r\n\r\n" + raw)
for part in msg.get_payload():
    if part.get_param("name", header="content-disposition") == "bundle":
        print(hashlib.sha256(part.get_payload(decode=True)).hexdigest())
PY
)
	[ "$got" = "$sum" ] && ok "POST multipart: part 'bundle' arrived byte-identical" || bad "POST multipart: sha256 '$got', sent $sum"
fi
attach 1 "wrong CA" --url "$url/upload/wrong.tar.zst" --cacert other.crt &&
	[ ! -e www/upload/wrong.tar.zst ] && grep -qi 'certificate' "$work/out" &&
	ok "wrong CA refused: $(cat "$work/out")"
attach 1 "413" --url "$url/small/big.tar.zst" --cacert ca.crt &&
	grep -q "413" "$work/out" && ok "413: $(cat "$work/out")"
attach 1 "--max-size" --url "$url/upload/max.tar.zst" --cacert ca.crt --max-size 1 &&
	[ ! -e www/upload/max.tar.zst ] && ok "--max-size refuses before sending: $(cat "$work/out")"
attach 2 "http://" --url "http://127.0.0.1:$port/upload/plain.tar.zst" &&
	ok "http:// refused without --insecure: $(cat "$work/out")"
attach 1 "redirect to http" --url "$url/redirect-http/" --cacert ca.crt &&
	[ ! -e www/upload/r.tar.zst ] && ok "redirect to http:// not followed: $(cat "$work/out")"
if attach 0 "redirect to https" --url "$url/redirect-https/" --cacert ca.crt; then
	[ "$(sha256sum www/upload/moved.tar.zst | cut -d' ' -f1)" = "$sum" ] &&
		ok "redirect to https:// followed, arrived byte-identical" || bad "redirect to https: file differs"
fi
SCX_REPORT_BUGZILLA_API_KEY=k attach 2 "Bugzilla http://" --bugzilla "http://127.0.0.1:$port/" --bug 1 &&
	ok "Bugzilla over http:// refused without --insecure: $(cat "$work/out")"
n=$(wc -l <access.log)
if attach 0 "dry run" --url "$url/upload/dry.tar.zst" --cacert ca.crt --dry-run; then
	[ "$(wc -l <access.log)" -eq "$n" ] && grep -q "X-Checksum-Sha256: $sum" "$work/out" &&
		ok "--dry-run: nothing sent, prints the request" || bad "--dry-run: $(cat "$work/out")"
fi
[ "$fail" -eq 0 ] || { echo "$fail upload check(s) failed"; exit 1; }
