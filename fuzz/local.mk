# ------------------------------------------------------------------- fuzzing
# libFuzzer harnesses, built with clang straight from the library sources
# (they need their own instrumentation). make fuzz builds; make fuzz-run runs
# each for FUZZ_SECONDS and fails on any crash.
fuzz_targets = fuzz/fuzz_range fuzz/fuzz_threshold fuzz/fuzz_units fuzz/fuzz_perfdata \
	fuzz/fuzz_timestamp fuzz/fuzz_migrate fuzz/fuzz_toml fuzz/fuzz_dotenv fuzz/fuzz_keypath \
	fuzz/fuzz_api fuzz/fuzz_json fuzz/fuzz_health fuzz/fuzz_services fuzz/fuzz_replies \
	fuzz/fuzz_manifest fuzz/fuzz_load fuzz/fuzz_discover fuzz/fuzz_alembic fuzz/fuzz_yaml \
	fuzz/fuzz_docker fuzz/fuzz_unitfile fuzz/fuzz_jwt fuzz/fuzz_flow
fuzz_sources = $(fuzz_targets:=.c) fuzz/fuzz_common.h
FUZZ_SECONDS = 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE $(RP_INCLUDES) -I$(top_builddir)
# every library source that needs no external library
fuzz_lib_sources = $(filter %.c,$(addprefix $(top_srcdir)/,$(lib_core_librpcore_a_SOURCES) \
	$(rp_config_plain_sources) $(rp_net_plain_sources) $(rp_db_plain_sources) \
	$(lib_proc_librpproc_a_SOURCES)))

fuzz: $(fuzz_targets)
$(fuzz_targets): %: $(top_srcdir)/%.c $(fuzz_lib_sources) config.h
	@test -n "$(FUZZ_CC)" || { echo "make fuzz needs clang: apt-get install clang libclang-rt-14-dev"; exit 1; }
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/$@.c $(fuzz_lib_sources) $(FUZZ_EXTRA) -lm
# Harnesses of a plugin's parsers also compile that plugin's pure code.
fuzz_json_sources = $(filter %.c,$(addprefix $(top_srcdir)/,$(rp_config_json_sources)))
fuzz/fuzz_api: FUZZ_EXTRA = -I$(top_srcdir)/plugins $(top_srcdir)/plugins/api_eval.c \
	$(top_srcdir)/lib/net/rp_http.c $(fuzz_json_sources) $(CURL_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)
fuzz/fuzz_api: $(top_srcdir)/plugins/api_eval.c $(top_srcdir)/lib/net/rp_http.c $(fuzz_json_sources)
fuzz/fuzz_flow: FUZZ_EXTRA = -I$(top_srcdir)/plugins $(top_srcdir)/plugins/api_flow.c \
	$(top_srcdir)/plugins/api_eval.c $(top_srcdir)/lib/net/rp_http.c $(fuzz_json_sources) \
	$(CURL_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)
fuzz/fuzz_flow: $(top_srcdir)/plugins/api_flow.c $(top_srcdir)/plugins/api_eval.c \
	$(top_srcdir)/lib/net/rp_http.c $(fuzz_json_sources)
fuzz/fuzz_json fuzz/fuzz_health: FUZZ_EXTRA = $(fuzz_json_sources) $(JSONC_LIBS)
fuzz_yaml_sources = $(filter %.c,$(addprefix $(top_srcdir)/,$(rp_config_yaml_sources)))
fuzz/fuzz_yaml: FUZZ_EXTRA = $(fuzz_yaml_sources) $(YAML_LIBS)
fuzz/fuzz_yaml: $(fuzz_yaml_sources)
fuzz_docker_sources = $(filter %.c,$(addprefix $(top_srcdir)/,$(rp_net_docker_sources)))
fuzz/fuzz_docker: FUZZ_EXTRA = $(fuzz_docker_sources) $(fuzz_json_sources) $(JSONC_LIBS)
fuzz/fuzz_docker: $(fuzz_docker_sources)
fuzz_jwt_sources = $(filter %.c,$(addprefix $(top_srcdir)/,$(rp_net_jwt_sources)))
fuzz/fuzz_jwt: FUZZ_EXTRA = $(fuzz_jwt_sources) $(fuzz_json_sources) $(JSONC_LIBS) $(CRYPTO_LIBS)
fuzz/fuzz_jwt: $(fuzz_jwt_sources)
fuzz/fuzz_unitfile: FUZZ_EXTRA = $(top_srcdir)/lib/sys/rp_unitfile.c \
	$(top_srcdir)/lib/sys/rp_secretstore.c $(LIBSECRET_CFLAGS) -ldl
fuzz/fuzz_unitfile: $(top_srcdir)/lib/sys/rp_unitfile.c $(top_srcdir)/lib/sys/rp_secretstore.c
fuzz/fuzz_services: FUZZ_EXTRA = -I$(top_srcdir)/plugins $(top_srcdir)/plugins/services_eval.c
fuzz/fuzz_services: $(top_srcdir)/plugins/services_eval.c
fuzz/fuzz_discover: FUZZ_EXTRA = -I$(top_srcdir)/plugins $(top_srcdir)/plugins/readiness_scan.c
fuzz/fuzz_discover: $(top_srcdir)/plugins/readiness_scan.c
fuzz/fuzz_json fuzz/fuzz_health: $(fuzz_json_sources)

fuzz-run: fuzz
	@set -e; for f in $(fuzz_targets); do \
	  name=$$(basename $$f); corpus=fuzz/corpus-$$name; $(MKDIR_P) $$corpus; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  ./$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	     -print_final_stats=1 $$corpus 2>fuzz/$$name.log \
	     || { tail -n 40 fuzz/$$name.log; echo "fuzz: $$name FAILED"; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' fuzz/$$name.log | sed "s/^/fuzz: $$name /"; \
	done

clean-local:
	rm -f $(fuzz_targets) fuzz/*.log
	rm -rf fuzz/corpus-*

