# contrib/: what the engines need, example manifests, and make demo.
contrib_files = contrib/README.md contrib/demo/run-demo \
	contrib/icinga2/readiness-plugins.conf contrib/icinga2/services.conf \
	contrib/icinga2/agents/README.md contrib/icinga2/agents/zones.conf \
	contrib/icinga2/agents/agent.conf contrib/icinga2/agents/services.conf \
	contrib/nagios/readiness-plugins.cfg contrib/nagios/services.cfg \
	contrib/nrpe/readiness-plugins.cfg contrib/nrpe/check_nrpe.cfg \
	contrib/zabbix/readiness-plugins.conf contrib/zabbix/readiness-external \
	contrib/zabbix/readiness-template.yaml contrib/zabbix/readiness-template-7.0.yaml \
	contrib/examples/cloudflare-worker.ini contrib/examples/python-platform.ini \
	contrib/examples/python-api-websocket.ini contrib/examples/platform-login.flow \
	contrib/container/Containerfile

# make demo: every plugin against the bundled demo stack (contrib/demo).
demo: $(plugin_PROGRAMS) tests/servers/rp-testserver$(EXEEXT)
	@$(SHELL) $(top_srcdir)/contrib/demo/run-demo $(abs_top_builddir)/plugins \
		$(abs_top_builddir)/tests/servers/rp-testserver $(abs_top_builddir)/readiness-demo.html


CLEANFILES = readiness-demo.html
