# plugins/: one check_NAME.c a dimension (a descriptor for rp_run) and its
# pure evaluate step; each links only the archives it uses.
plugin_PROGRAMS += plugins/check_sqlite
plugins_check_sqlite_SOURCES = plugins/check_sqlite.c plugins/sqlite_eval.c plugins/check_sqlite.h \
	plugins/sqlite_eval_migrations.c plugins/sqlite_ledger.c plugins/sqlite_options.c \
	plugins/sqlite_schema.c
plugins_check_sqlite_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
plugins_check_sqlite_LDADD = lib/db/librpdb.a $(LIBRPCORE) $(SQLITE_LIBS)
dist_man_MANS += man/check_sqlite.1

# check_duckdb: check_sqlite's checks and evaluate step on DuckDB, whose
# library it loads at run time (nothing to link for it)
plugin_PROGRAMS += plugins/check_duckdb
plugins_check_duckdb_SOURCES = plugins/check_duckdb.c plugins/sqlite_eval.c plugins/check_sqlite.h \
	plugins/sqlite_eval_migrations.c plugins/sqlite_ledger.c plugins/sqlite_options.c \
	plugins/db_probe.c plugins/sqlite_schema.c
plugins_check_duckdb_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
plugins_check_duckdb_LDADD = lib/db/librpdb.a $(LIBRPCORE) $(SQLITE_LIBS)
dist_man_MANS += man/check_duckdb.1

# check_postgresql: the same checks on a PostgreSQL database, with libpq
plugin_PROGRAMS += plugins/check_postgresql
plugins_check_postgresql_SOURCES = plugins/check_postgresql.c plugins/sqlite_eval.c \
	plugins/check_sqlite.h plugins/sqlite_eval_migrations.c plugins/sqlite_ledger.c \
	plugins/sqlite_options.c plugins/db_probe.c plugins/sqlite_schema.c
plugins_check_postgresql_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(PQ_CFLAGS)
plugins_check_postgresql_LDADD = lib/db/librpdb.a $(LIBRPCORE) $(PQ_LIBS) $(SQLITE_LIBS)
dist_man_MANS += man/check_postgresql.1

plugin_PROGRAMS += plugins/check_config
plugins_check_config_SOURCES = plugins/check_config.c plugins/config_eval.c plugins/check_config.h
plugins_check_config_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
plugins_check_config_LDADD = lib/sys/librpsys.a $(LIBRPCONFIG) $(JSONC_LIBS) $(YAML_LIBS) -ldl
dist_man_MANS += man/check_config.1

plugin_PROGRAMS += plugins/check_services
plugins_check_services_SOURCES = plugins/check_services.c plugins/services_eval.c \
	plugins/check_services.h
plugins_check_services_LDADD = $(LIBRPNET)
dist_man_MANS += man/check_services.1

plugin_PROGRAMS += plugins/check_readiness
plugins_check_readiness_SOURCES = plugins/check_readiness.c plugins/readiness_eval.c \
	plugins/readiness_history.c plugins/readiness_run.c plugins/readiness_discover.c \
	plugins/readiness_discover_env.c plugins/readiness_discover_files.c plugins/readiness_discover.h \
	plugins/readiness_scan.c plugins/check_readiness.h
plugins_check_readiness_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
plugins_check_readiness_LDADD = lib/proc/librpproc.a $(LIBRPCONFIG) $(SQLITE_LIBS) $(YAML_LIBS) \
	-lpthread
dist_man_MANS += man/check_readiness.1 man/check_readiness-manifest.5

# check_units: systemd's units and timers over D-Bus, and their journal
plugin_PROGRAMS += plugins/check_units
plugins_check_units_SOURCES = plugins/check_units.c plugins/units_eval.c plugins/units_file.c \
	plugins/check_units.h
plugins_check_units_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
plugins_check_units_LDADD = $(LIBRPSYS) $(SYSTEMD_LIBS) -lm
dist_man_MANS += man/check_units.1

# check_containers: the Docker Engine API over its unix socket, with libcurl
plugin_PROGRAMS += plugins/check_containers
plugins_check_containers_SOURCES = plugins/check_containers.c plugins/containers_eval.c \
	plugins/check_containers.h
plugins_check_containers_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JSONC_CFLAGS)
plugins_check_containers_LDADD = lib/net/librpnet.a $(LIBRPCONFIG) $(CURL_LIBS) $(CRYPTO_LIBS) \
	$(JSONC_LIBS)
dist_man_MANS += man/check_containers.1

plugin_PROGRAMS += plugins/check_api
plugins_check_api_SOURCES = plugins/check_api.c plugins/api_eval.c plugins/check_api.h \
	plugins/api_flow.c plugins/api_flow_run.c
plugins_check_api_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JSONC_CFLAGS)
plugins_check_api_LDADD = lib/net/librpnet.a $(LIBRPCONFIG) $(CURL_LIBS) $(CRYPTO_LIBS) \
	$(JSONC_LIBS)
dist_man_MANS += man/check_api.1

plugin_PROGRAMS += plugins/check_latency
plugins_check_latency_SOURCES = plugins/check_latency.c plugins/latency_eval.c \
	plugins/check_latency.h
plugins_check_latency_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_check_latency_LDADD = lib/net/librpnet.a $(LIBRPCORE) $(CURL_LIBS) $(CRYPTO_LIBS) -lm
dist_man_MANS += man/check_latency.1

plugin_sources = $(plugins_check_sqlite_SOURCES) $(plugins_check_duckdb_SOURCES) \
	$(plugins_check_postgresql_SOURCES) \
	$(plugins_check_config_SOURCES) \
	$(plugins_check_api_SOURCES) $(plugins_check_services_SOURCES) \
	$(plugins_check_readiness_SOURCES) $(plugins_check_latency_SOURCES) \
	$(plugins_check_containers_SOURCES) $(plugins_check_units_SOURCES)
