# lib/proc: running other programs: spawning a child with a deadline and
# capped output, reading a plugin's output back as an engine does, and the
# manifest of check_readiness's runs.
noinst_LIBRARIES += lib/proc/librpproc.a
lib_proc_librpproc_a_SOURCES = \
	lib/proc/rp_spawn.c lib/proc/rp_spawn.h lib/proc/rp_plugin_output.c \
	lib/proc/rp_plugin_output.h lib/proc/rp_manifest.c lib/proc/rp_manifest.h
LIBRPPROC = lib/proc/librpproc.a $(LIBRPCORE)
