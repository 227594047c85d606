# lib/core: what every plugin links: states and the result tree, ranges,
# thresholds and their judgement, perfdata, rendering, the command line,
# the deadline and the runtime (rp_run), text and numbers, files, secrets.
# It needs nothing beyond libc and libm, so a plugin that needs nothing
# else loads nothing else (docs/design.md: dynamic loading dominates the
# cost of a small plugin).
noinst_LIBRARIES += lib/core/librpcore.a
lib_core_librpcore_a_SOURCES = \
	lib/core/rp_x.c lib/core/rp_x.h lib/core/rp_buf.c lib/core/rp_buf.h lib/core/rp_number.c \
	lib/core/rp_number.h lib/core/rp_strv.c lib/core/rp_strv.h lib/core/rp_state.c \
	lib/core/rp_state.h lib/core/rp_unit.c lib/core/rp_unit.h lib/core/rp_range.c \
	lib/core/rp_range.h lib/core/rp_thresholds.c lib/core/rp_thresholds.h lib/core/rp_perf.c \
	lib/core/rp_perf.h lib/core/rp_text.c lib/core/rp_text.h lib/core/rp_check.c \
	lib/core/rp_check.h lib/core/rp_judge.c lib/core/rp_judge.h lib/core/rp_render.c \
	lib/core/rp_render.h lib/core/rp_deadline.c lib/core/rp_deadline.h lib/core/rp_cli.c \
	lib/core/rp_cli.h lib/core/rp_run.c lib/core/rp_run.h lib/core/rp_file.c \
	lib/core/rp_file.h lib/core/rp_secret.c lib/core/rp_secret.h lib/core/rp_regex.c \
	lib/core/rp_regex.h lib/core/rp_timestamp.c lib/core/rp_timestamp.h lib/core/rp_util.h \
	lib/core/rp_histogram.c lib/core/rp_histogram.h lib/core/rp_render_prom.c lib/core/rp_render_prom.h \
	lib/core/rp_render_html.c lib/core/rp_render_html.h lib/core/rp_render_impl.h
LIBRPCORE = lib/core/librpcore.a $(LIBS)
