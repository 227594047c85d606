# lib/sys: the operating system's service manager: systemd's units and
# timers over D-Bus, a unit's journal lines (users link
# $(SYSTEMD_LIBS)), and unit files read as systemd reads them.
noinst_LIBRARIES += lib/sys/librpsys.a
lib_sys_librpsys_a_SOURCES = lib/sys/rp_systemd.c lib/sys/rp_systemd.h lib/sys/rp_journal.c \
	lib/sys/rp_unitfile.c lib/sys/rp_unitfile.h \
	lib/sys/rp_journal.h lib/sys/rp_secretstore.c lib/sys/rp_secretstore.h
lib_sys_librpsys_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBSECRET_CFLAGS)
LIBRPSYS = lib/sys/librpsys.a $(LIBRPCORE)
