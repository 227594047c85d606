# lib/config: configuration sources seen through one tree of values:
# TOML 1.0, dotenv, JSON (json-c), YAML (libyaml) and compose files, key
# paths, JSON assertions and health documents.
noinst_LIBRARIES += lib/config/librpconfig.a
rp_config_plain_sources = \
	lib/config/rp_value.c lib/config/rp_value.h lib/config/rp_toml.c lib/config/rp_toml.h \
	lib/config/rp_toml_scalar.c lib/config/rp_toml_parser.h lib/config/rp_dotenv.c \
	lib/config/rp_dotenv.h lib/config/rp_keypath.c lib/config/rp_keypath.h
# the parts that read JSON with json-c (their users link $(JSONC_LIBS))
rp_config_json_sources = \
	lib/config/rp_json.c lib/config/rp_json.h lib/config/rp_json_assert.c \
	lib/config/rp_json_assert.h lib/config/rp_health.c lib/config/rp_health.h \
	lib/config/rp_configkey.c lib/config/rp_configkey.h
# the parts that read YAML with libyaml (their users link $(YAML_LIBS))
rp_config_yaml_sources = \
	lib/config/rp_yaml.c lib/config/rp_yaml.h lib/config/rp_compose.c lib/config/rp_compose.h
lib_config_librpconfig_a_SOURCES = $(rp_config_plain_sources) $(rp_config_json_sources) \
	$(rp_config_yaml_sources)
lib_config_librpconfig_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(YAML_CFLAGS)
LIBRPCONFIG = lib/config/librpconfig.a $(LIBRPCORE)
