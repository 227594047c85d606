# tests/: unit/ (Check, one suite a module and a plugin's evaluate step),
# harness/ and servers/ (running plugins as engines do, our test peer),
# plugins/ (the built plugins against real peers), engines/ (the real
# monitoring engines), binaries/ (the shipped binaries themselves).

# ---------------------------------------------------------------- unit tests
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
# Every archive, core last: a test links what its module needs.
LIBRP = lib/net/librpnet.a lib/config/librpconfig.a lib/proc/librpproc.a lib/db/librpdb.a \
	$(LIBRPCORE)
UNIT_LIBS = $(LIBRP) $(CHECK_LIBS)
unit_tests = \
	tests/unit/test_util \
	tests/unit/test_state \
	tests/unit/test_units \
	tests/unit/test_range \
	tests/unit/test_threshold \
	tests/unit/test_perf \
	tests/unit/test_histogram \
	tests/unit/test_load \
	tests/unit/test_text \
	tests/unit/test_check \
	tests/unit/test_judge \
	tests/unit/test_render \
	tests/unit/test_output \
	tests/unit/test_spawn \
	tests/unit/test_cli \
	tests/unit/test_timestamp \
	tests/unit/test_migrate \
	tests/unit/test_sql_schema \
	tests/unit/test_compose \
	tests/unit/test_docker \
	tests/unit/test_containers_eval \
	tests/unit/test_units_eval \
	tests/unit/test_unitfile \
	tests/unit/test_jwt \
	tests/unit/test_alembic \
	tests/unit/test_pg_login \
	tests/unit/test_sqlite_eval \
	tests/unit/test_toml_suite \
	tests/unit/test_toml \
	tests/unit/test_dotenv tests/unit/test_configkey \
	tests/unit/test_keypath \
	tests/unit/test_secrets \
	tests/unit/test_config_eval \
	tests/unit/test_jsonassert \
	tests/unit/test_health \
	tests/unit/test_regex \
	tests/unit/test_proto \
	tests/unit/test_readiness \
	tests/unit/test_api_eval tests/unit/test_api_flow \
	tests/unit/test_services_eval
check_PROGRAMS += $(unit_tests) tests/unit/cli_prog
TESTS += $(unit_tests)

tests_unit_test_util_SOURCES = tests/unit/test_util.c tests/unit/rp_test.h
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)
tests_unit_test_state_SOURCES = tests/unit/test_state.c tests/unit/rp_test.h
tests_unit_test_state_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_state_LDADD = $(UNIT_LIBS)
tests_unit_test_units_SOURCES = tests/unit/test_units.c tests/unit/rp_test.h
tests_unit_test_units_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_units_LDADD = $(UNIT_LIBS)
tests_unit_test_range_SOURCES = tests/unit/test_range.c tests/unit/rp_test.h
tests_unit_test_range_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_range_LDADD = $(UNIT_LIBS)
tests_unit_test_threshold_SOURCES = tests/unit/test_threshold.c tests/unit/rp_test.h
tests_unit_test_threshold_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_threshold_LDADD = $(UNIT_LIBS)
tests_unit_test_perf_SOURCES = tests/unit/test_perf.c tests/unit/rp_test.h
tests_unit_test_perf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_perf_LDADD = $(UNIT_LIBS)
tests_unit_test_histogram_SOURCES = tests/unit/test_histogram.c tests/unit/rp_test.h
tests_unit_test_histogram_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_histogram_LDADD = $(UNIT_LIBS) -lm
tests_unit_test_load_SOURCES = tests/unit/test_load.c tests/unit/rp_test.h
tests_unit_test_load_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_load_LDADD = $(UNIT_LIBS) -lm
tests_unit_test_text_SOURCES = tests/unit/test_text.c tests/unit/rp_test.h
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(UNIT_LIBS)
tests_unit_test_check_SOURCES = tests/unit/test_check.c tests/unit/rp_test.h
tests_unit_test_check_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_check_LDADD = $(UNIT_LIBS)
tests_unit_test_judge_SOURCES = tests/unit/test_judge.c tests/unit/rp_test.h
tests_unit_test_judge_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_judge_LDADD = $(UNIT_LIBS)
tests_unit_test_render_SOURCES = tests/unit/test_render.c tests/unit/rp_test.h
tests_unit_test_render_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_render_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_output_SOURCES = tests/unit/test_output.c tests/unit/rp_test.h
tests_unit_test_output_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_output_LDADD = $(UNIT_LIBS)
tests_unit_test_spawn_SOURCES = tests/unit/test_spawn.c tests/unit/rp_test.h
tests_unit_test_spawn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spawn_LDADD = $(UNIT_LIBS)
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c tests/unit/rp_test.h
tests_unit_test_cli_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_cli_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_timestamp_SOURCES = tests/unit/test_timestamp.c tests/unit/rp_test.h
tests_unit_test_timestamp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_timestamp_LDADD = $(UNIT_LIBS)
tests_unit_test_migrate_SOURCES = tests/unit/test_migrate.c tests/unit/rp_test.h
tests_unit_test_migrate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_migrate_LDADD = $(UNIT_LIBS)
tests_unit_test_sql_schema_SOURCES = tests/unit/test_sql_schema.c tests/unit/rp_test.h
tests_unit_test_sql_schema_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sql_schema_LDADD = $(UNIT_LIBS)
tests_unit_test_compose_SOURCES = tests/unit/test_compose.c tests/unit/rp_test.h
tests_unit_test_compose_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_compose_LDADD = $(UNIT_LIBS) $(YAML_LIBS)
tests_unit_test_docker_SOURCES = tests/unit/test_docker.c tests/unit/rp_test.h
tests_unit_test_docker_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_docker_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_jwt_SOURCES = tests/unit/test_jwt.c
tests_unit_test_jwt_CFLAGS = $(HARNESS_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_jwt_LDADD = lib/net/librpnet.a $(HARNESS_LIBS)
tests_unit_test_unitfile_SOURCES = tests/unit/test_unitfile.c
tests_unit_test_unitfile_LDADD = lib/sys/librpsys.a $(UNIT_LIBS)
tests_unit_test_unitfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_units_eval_SOURCES = tests/unit/test_units_eval.c plugins/units_eval.c \
	plugins/units_file.c \
	tests/unit/rp_test_render.h
tests_unit_test_units_eval_CFLAGS = $(UNIT_CFLAGS) $(SYSTEMD_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_units_eval_LDADD = lib/sys/librpsys.a $(UNIT_LIBS) $(SYSTEMD_LIBS) -lm
tests_unit_test_containers_eval_SOURCES = tests/unit/test_containers_eval.c \
	plugins/containers_eval.c tests/unit/rp_test_render.h
tests_unit_test_containers_eval_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_containers_eval_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_alembic_SOURCES = tests/unit/test_alembic.c tests/unit/rp_test.h
tests_unit_test_alembic_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_alembic_LDADD = $(UNIT_LIBS)
tests_unit_test_pg_login_SOURCES = tests/unit/test_pg_login.c tests/unit/rp_test.h
tests_unit_test_pg_login_CFLAGS = $(UNIT_CFLAGS) $(PQ_CFLAGS)
tests_unit_test_pg_login_LDADD = $(UNIT_LIBS) $(PQ_LIBS)
tests_unit_test_sqlite_eval_SOURCES = tests/unit/test_sqlite_eval.c plugins/sqlite_eval.c \
	plugins/sqlite_eval_migrations.c \
	tests/unit/rp_test_render.h
tests_unit_test_sqlite_eval_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_sqlite_eval_LDADD = $(LIBRP) $(SQLITE_LIBS) $(CHECK_LIBS)
tests_unit_test_toml_suite_SOURCES = tests/unit/test_toml_suite.c tests/unit/rp_test.h
tests_unit_test_toml_suite_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_toml_suite_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_toml_SOURCES = tests/unit/test_toml.c tests/unit/rp_test.h
tests_unit_test_toml_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_toml_LDADD = $(UNIT_LIBS)
tests_unit_test_dotenv_SOURCES = tests/unit/test_dotenv.c tests/unit/rp_test.h
tests_unit_test_dotenv_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dotenv_LDADD = $(UNIT_LIBS)
tests_unit_test_configkey_SOURCES = tests/unit/test_configkey.c tests/unit/rp_test.h
tests_unit_test_configkey_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_configkey_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_keypath_SOURCES = tests/unit/test_keypath.c tests/unit/rp_test.h
tests_unit_test_keypath_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_keypath_LDADD = $(UNIT_LIBS)
tests_unit_test_secrets_SOURCES = tests/unit/test_secrets.c tests/unit/rp_test.h
tests_unit_test_secrets_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_secrets_LDADD = $(UNIT_LIBS)
tests_unit_test_config_eval_SOURCES = tests/unit/test_config_eval.c plugins/config_eval.c
tests_unit_test_config_eval_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_config_eval_LDADD = $(UNIT_LIBS)
tests_unit_test_jsonassert_SOURCES = tests/unit/test_jsonassert.c tests/unit/rp_test.h
tests_unit_test_jsonassert_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_jsonassert_LDADD = $(LIBRP) $(JSONC_LIBS) $(CHECK_LIBS)
tests_unit_test_regex_SOURCES = tests/unit/test_regex.c tests/unit/rp_test.h
tests_unit_test_regex_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_regex_LDADD = $(UNIT_LIBS)
tests_unit_test_proto_SOURCES = tests/unit/test_proto.c tests/unit/rp_test.h
tests_unit_test_proto_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_proto_LDADD = $(UNIT_LIBS)
tests_unit_test_readiness_SOURCES = tests/unit/test_readiness.c plugins/readiness_eval.c \
	plugins/readiness_scan.c
tests_unit_test_readiness_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_readiness_LDADD = $(UNIT_LIBS)
tests_unit_test_api_eval_SOURCES = tests/unit/test_api_eval.c plugins/api_eval.c
tests_unit_test_api_eval_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS) $(CURL_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_api_eval_LDADD = $(UNIT_LIBS) $(JSONC_LIBS)
tests_unit_test_api_flow_SOURCES = tests/unit/test_api_flow.c plugins/api_flow.c plugins/api_eval.c
tests_unit_test_api_flow_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS) $(CURL_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_api_flow_LDADD = $(UNIT_LIBS) $(JSONC_LIBS) $(CURL_LIBS)
tests_unit_test_services_eval_SOURCES = tests/unit/test_services_eval.c plugins/services_eval.c
tests_unit_test_services_eval_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/plugins
tests_unit_test_services_eval_LDADD = $(UNIT_LIBS)
tests_unit_test_health_SOURCES = tests/unit/test_health.c tests/unit/rp_test.h
tests_unit_test_health_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_health_LDADD = $(LIBRP) $(JSONC_LIBS) $(CHECK_LIBS)
# A minimal program on the shared command line, to test it end to end:
# usage errors, --help, JSON output and the timeout backstop.
tests_unit_cli_prog_SOURCES = tests/unit/cli_prog.c
tests_unit_cli_prog_LDADD = $(LIBRP)

# -------------------------------------------------- plugin test harness, peers
# The harness runs built binaries as an engine would and reads their output
# back with the library's own parser; rp-testserver is our scriptable HTTP /
# WebSocket peer for behaviour no stock server gives.
noinst_LIBRARIES += tests/harness/libharness.a
tests_harness_libharness_a_SOURCES = tests/harness/harness.c tests/harness/harness.h \
	tests/harness/h_peers.c tests/harness/h_duckdb.c tests/harness/h_podman.c \
	tests/harness/h_systemd.c tests/harness/h_jwt.c
tests_harness_libharness_a_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS) $(CRYPTO_CFLAGS) \
	-I$(top_srcdir)/tests/unit
HARNESS_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/tests/harness -I$(top_srcdir)/tests/unit
HARNESS_LIBS = tests/harness/libharness.a $(UNIT_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/servers/rp-testserver
tests_servers_rp_testserver_SOURCES = tests/servers/rp-testserver.c \
	tests/servers/rp-testserver-auth.c tests/servers/rp-testserver.h
tests_servers_rp_testserver_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(JSONC_CFLAGS)
tests_servers_rp_testserver_LDADD = $(LIBRP) $(CRYPTO_LIBS) $(JSONC_LIBS)

plugin_tests = tests/plugins/test_harness tests/plugins/test_check_sqlite \
	tests/plugins/test_check_sqlite_live tests/plugins/test_check_sqlite_ledgers \
	tests/plugins/test_duckdb tests/plugins/test_check_duckdb tests/plugins/test_check_postgresql \
	tests/plugins/test_check_config tests/plugins/test_compose_oracle tests/plugins/test_docker_api \
	tests/plugins/test_check_containers tests/plugins/test_check_units \
	tests/plugins/test_check_api tests/plugins/test_check_api_jwt tests/plugins/test_check_api_proxy \
	tests/plugins/test_check_api_flow tests/plugins/test_check_api_mtls \
	tests/plugins/test_check_config_secretstore \
	tests/plugins/test_check_services tests/plugins/test_check_readiness \
	tests/plugins/test_check_latency tests/plugins/test_check_readiness_reports \
	tests/plugins/test_check_readiness_requires tests/plugins/test_check_readiness_html \
	tests/plugins/test_check_readiness_discover
check_PROGRAMS += $(plugin_tests)
TESTS += $(plugin_tests)
tests_plugins_test_harness_SOURCES = tests/plugins/test_harness.c
tests_plugins_test_harness_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_harness_LDADD = $(HARNESS_LIBS)

SQLITE_FIXTURE = tests/plugins/sqlite_fixture.c tests/plugins/sqlite_fixture.h
tests_plugins_test_check_sqlite_SOURCES = tests/plugins/test_check_sqlite.c $(SQLITE_FIXTURE)
tests_plugins_test_check_sqlite_CFLAGS = $(HARNESS_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_check_sqlite_LDADD = $(HARNESS_LIBS) $(SQLITE_LIBS)
tests_plugins_test_check_sqlite_live_SOURCES = tests/plugins/test_check_sqlite_live.c \
	$(SQLITE_FIXTURE)
tests_plugins_test_check_sqlite_live_CFLAGS = $(HARNESS_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_check_sqlite_live_LDADD = $(HARNESS_LIBS) $(SQLITE_LIBS)
tests_plugins_test_check_sqlite_ledgers_SOURCES = tests/plugins/test_check_sqlite_ledgers.c \
	$(SQLITE_FIXTURE)
tests_plugins_test_check_sqlite_ledgers_CFLAGS = $(HARNESS_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_check_sqlite_ledgers_LDADD = $(HARNESS_LIBS) $(SQLITE_LIBS)
tests_plugins_test_duckdb_SOURCES = tests/plugins/test_duckdb.c $(SQLITE_FIXTURE)
tests_plugins_test_duckdb_CFLAGS = $(HARNESS_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_duckdb_LDADD = $(HARNESS_LIBS) $(SQLITE_LIBS)
tests_plugins_test_check_duckdb_SOURCES = tests/plugins/test_check_duckdb.c $(SQLITE_FIXTURE)
tests_plugins_test_check_duckdb_CFLAGS = $(HARNESS_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_check_duckdb_LDADD = $(HARNESS_LIBS) $(SQLITE_LIBS)
tests_plugins_test_compose_oracle_SOURCES = tests/plugins/test_compose_oracle.c
tests_plugins_test_compose_oracle_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_compose_oracle_LDADD = $(HARNESS_LIBS) $(YAML_LIBS)
tests_plugins_test_docker_api_SOURCES = tests/plugins/test_docker_api.c
tests_plugins_test_docker_api_CFLAGS = $(HARNESS_CFLAGS) $(CURL_CFLAGS)
tests_plugins_test_docker_api_LDADD = $(HARNESS_LIBS) $(CURL_LIBS)
tests_plugins_test_check_api_jwt_SOURCES = tests/plugins/test_check_api_jwt.c
tests_plugins_test_check_api_jwt_CFLAGS = $(HARNESS_CFLAGS) $(CRYPTO_CFLAGS)
tests_plugins_test_check_api_jwt_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_api_flow_SOURCES = tests/plugins/test_check_api_flow.c
tests_plugins_test_check_api_flow_CFLAGS = $(HARNESS_CFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS)
tests_plugins_test_check_api_flow_LDADD = $(HARNESS_LIBS) $(CURL_LIBS)
tests_plugins_test_check_api_mtls_SOURCES = tests/plugins/test_check_api_mtls.c
tests_plugins_test_check_api_mtls_CFLAGS = $(HARNESS_CFLAGS) $(CRYPTO_CFLAGS)
tests_plugins_test_check_api_mtls_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_config_secretstore_SOURCES = tests/plugins/test_check_config_secretstore.c
tests_plugins_test_check_config_secretstore_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_config_secretstore_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_api_proxy_SOURCES = tests/plugins/test_check_api_proxy.c
tests_plugins_test_check_api_proxy_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_api_proxy_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_units_SOURCES = tests/plugins/test_check_units.c
tests_plugins_test_check_units_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_units_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_containers_SOURCES = tests/plugins/test_check_containers.c
tests_plugins_test_check_containers_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_containers_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_postgresql_SOURCES = tests/plugins/test_check_postgresql.c
tests_plugins_test_check_postgresql_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_postgresql_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_config_SOURCES = tests/plugins/test_check_config.c
tests_plugins_test_check_config_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_config_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_services_SOURCES = tests/plugins/test_check_services.c
tests_plugins_test_check_services_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_services_LDADD = $(HARNESS_LIBS)
READINESS_FIXTURE = tests/plugins/readiness_fixture.c tests/plugins/readiness_fixture.h
tests_plugins_test_check_readiness_SOURCES = tests/plugins/test_check_readiness.c \
	$(READINESS_FIXTURE)
tests_plugins_test_check_readiness_CFLAGS = $(HARNESS_CFLAGS) $(XML_CFLAGS) $(SQLITE_CFLAGS)
tests_plugins_test_check_readiness_LDADD = $(HARNESS_LIBS) $(XML_LIBS) $(SQLITE_LIBS)
tests_plugins_test_check_api_SOURCES = tests/plugins/test_check_api.c
tests_plugins_test_check_api_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_api_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_readiness_reports_SOURCES = tests/plugins/test_check_readiness_reports.c \
	$(READINESS_FIXTURE)
tests_plugins_test_check_readiness_reports_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_readiness_reports_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_readiness_requires_SOURCES = \
	tests/plugins/test_check_readiness_requires.c $(READINESS_FIXTURE)
tests_plugins_test_check_readiness_requires_CFLAGS = $(HARNESS_CFLAGS) $(XML_CFLAGS)
tests_plugins_test_check_readiness_requires_LDADD = $(HARNESS_LIBS) $(XML_LIBS)
tests_plugins_test_check_readiness_html_SOURCES = \
	tests/plugins/test_check_readiness_html.c $(READINESS_FIXTURE)
tests_plugins_test_check_readiness_html_CFLAGS = $(HARNESS_CFLAGS) $(PNG_CFLAGS)
tests_plugins_test_check_readiness_html_LDADD = $(HARNESS_LIBS) $(PNG_LIBS)
tests_plugins_test_check_readiness_discover_SOURCES = \
	tests/plugins/test_check_readiness_discover.c $(READINESS_FIXTURE)
tests_plugins_test_check_readiness_discover_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_readiness_discover_LDADD = $(HARNESS_LIBS)
tests_plugins_test_check_latency_SOURCES = tests/plugins/test_check_latency.c
tests_plugins_test_check_latency_CFLAGS = $(HARNESS_CFLAGS)
tests_plugins_test_check_latency_LDADD = $(HARNESS_LIBS)
# Plugin tests run the plugins: build them first.
$(plugin_tests): $(plugin_PROGRAMS) tests/servers/rp-testserver$(EXEEXT) tests/unit/cli_prog$(EXEEXT)

# --------------------------------------------------------- engine tests
# The real monitoring engines (Debian's packages) run our plugins with our
# shipped contrib files; each test skips loudly when its engine is missing.
noinst_LIBRARIES += tests/engines/libengines.a
tests_engines_libengines_a_SOURCES = tests/engines/engines.c tests/engines/engines.h
tests_engines_libengines_a_CFLAGS = $(HARNESS_CFLAGS)
ENGINE_LIBS = tests/engines/libengines.a $(HARNESS_LIBS)
engine_tests = tests/engines/test_nrpe tests/engines/test_nagios tests/engines/test_zabbix \
	tests/engines/test_icinga tests/engines/test_icinga_agent
check_PROGRAMS += $(engine_tests)
TESTS += $(engine_tests)
tests_engines_test_nrpe_SOURCES = tests/engines/test_nrpe.c
tests_engines_test_nrpe_CFLAGS = $(HARNESS_CFLAGS) -I$(top_srcdir)/tests/engines
tests_engines_test_nrpe_LDADD = $(ENGINE_LIBS)
tests_engines_test_nagios_SOURCES = tests/engines/test_nagios.c
tests_engines_test_nagios_CFLAGS = $(HARNESS_CFLAGS) -I$(top_srcdir)/tests/engines
tests_engines_test_nagios_LDADD = $(ENGINE_LIBS)
tests_engines_test_zabbix_SOURCES = tests/engines/test_zabbix.c
tests_engines_test_zabbix_CFLAGS = $(HARNESS_CFLAGS) -I$(top_srcdir)/tests/engines
tests_engines_test_zabbix_LDADD = $(ENGINE_LIBS)
tests_engines_test_icinga_SOURCES = tests/engines/test_icinga.c tests/engines/icinga.c \
	tests/engines/icinga.h
tests_engines_test_icinga_agent_SOURCES = tests/engines/test_icinga_agent.c tests/engines/icinga.c \
	tests/engines/icinga.h
tests_engines_test_icinga_agent_CFLAGS = $(tests_engines_test_icinga_CFLAGS)
tests_engines_test_icinga_agent_LDADD = $(tests_engines_test_icinga_LDADD)
tests_engines_test_icinga_CFLAGS = $(HARNESS_CFLAGS) $(CURL_CFLAGS) -I$(top_srcdir)/tests/engines
tests_engines_test_icinga_LDADD = $(ENGINE_LIBS) $(CURL_LIBS)
$(engine_tests): $(plugin_PROGRAMS) tests/servers/rp-testserver$(EXEEXT)

# The shipped binaries, read as machine code: the secret wipes survive -O2.
dist_check_SCRIPTS = tests/binaries/secret-wipes tests/binaries/lint-limits tests/binaries/layout \
	tests/binaries/help-and-man tests/binaries/valgrind-clean tests/binaries/container-healthcheck \
	tests/binaries/metrics-output
TESTS += $(dist_check_SCRIPTS)

AM_TESTS_ENVIRONMENT = \
	RP_TOP_BUILDDIR='$(abs_top_builddir)'; export RP_TOP_BUILDDIR; \
	RP_TOP_SRCDIR='$(abs_top_srcdir)'; export RP_TOP_SRCDIR; \
	CK_DEFAULT_TIMEOUT=60; export CK_DEFAULT_TIMEOUT; \
	CK_VERBOSITY=normal; export CK_VERBOSITY;

