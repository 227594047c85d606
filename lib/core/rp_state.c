#include "rp_state.h"
#include "rp_text.h"
#include "rp_util.h"

const char *rp_state_text(enum rp_state s)
{
	switch (s) {
	case RP_OK:
		return "OK";
	case RP_WARNING:
		return "WARNING";
	case RP_CRITICAL:
		return "CRITICAL";
	case RP_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

int rp_state_severity(enum rp_state s)
{
	switch (s) {
	case RP_OK:
		return 0;
	case RP_WARNING:
		return 1;
	case RP_UNKNOWN:
		return 2;
	case RP_CRITICAL:
		return 3;
	}
	return 2;
}

enum rp_state rp_state_worst(enum rp_state a, enum rp_state b)
{
	return rp_state_severity(a) >= rp_state_severity(b) ? a : b;
}

bool rp_state_parse(const char *text, enum rp_state *out)
{
	static const struct {
		const char *word;
		enum rp_state state;
	} words[] = {
		{ "ok", RP_OK },
		{ "0", RP_OK },
		{ "warning", RP_WARNING },
		{ "1", RP_WARNING },
		{ "critical", RP_CRITICAL },
		{ "2", RP_CRITICAL },
		{ "unknown", RP_UNKNOWN },
		{ "3", RP_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (rp_text_caseeq(text, words[i].word)) {
			*out = words[i].state;
			return true;
		}
	}
	return false;
}
