# lib/net: the network: service URIs, the protocol handlers (one file a
# protocol, rp_proto_NAME.c), the concurrent probe engine, TLS (OpenSSL
# loaded with dlopen only when a probe asks for it), and one HTTP(S)
# exchange with libcurl (rp_http: its users link $(CURL_LIBS)).
noinst_LIBRARIES += lib/net/librpnet.a
rp_net_plain_sources = \
	lib/net/rp_uri.c lib/net/rp_uri.h lib/net/rp_proto.c lib/net/rp_proto.h \
	lib/net/rp_proto_impl.h lib/net/rp_proto_tcp.c lib/net/rp_proto_http.c lib/net/rp_proto_ws.c \
	lib/net/rp_proto_redis.c lib/net/rp_proto_postgres.c lib/net/rp_proto_smtp.c \
	lib/net/rp_proto_mysql.c lib/net/rp_status.c lib/net/rp_status.h lib/net/rp_digest.c \
	lib/net/rp_digest.h lib/net/rp_probe.c lib/net/rp_probe.h lib/net/rp_tls.c \
	lib/net/rp_tls.h lib/net/rp_load.c lib/net/rp_load.h
rp_net_http_sources = lib/net/rp_http.c lib/net/rp_http.h lib/net/rp_http_handle.h \
	lib/net/rp_http_options.c lib/net/rp_http_options.h lib/net/rp_load_http.c \
	lib/net/rp_load_http.h lib/net/rp_clientcert.c lib/net/rp_clientcert.h
# the Docker Engine API's replies, read as JSON (users link $(LIBRPCONFIG)
# and $(JSONC_LIBS))
rp_net_docker_sources = lib/net/rp_docker.c lib/net/rp_docker.h
# JSON Web Tokens: users link $(CRYPTO_LIBS) and $(JSONC_LIBS)
rp_net_jwt_sources = lib/net/rp_jwt.c lib/net/rp_jwt.h
lib_net_librpnet_a_SOURCES = $(rp_net_plain_sources) $(rp_net_http_sources) \
	$(rp_net_docker_sources) $(rp_net_jwt_sources)
lib_net_librpnet_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS) $(JSONC_CFLAGS)
LIBRPNET = lib/net/librpnet.a $(LIBRPCORE)
