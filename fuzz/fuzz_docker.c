/* Fuzzes the Docker Engine API reply readers (the list, an inspection,
 * the framed log stream) and the choice of a log's error line: a hostile
 * engine or a container writing anything to its log. */
#include "fuzz_common.h"
#include "rp_docker.h"
#include "rp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char err[256];
	struct rp_docker_summary *s;
	size_t n;
	if (rp_docker_parse_list(body, size, &s, &n, err, sizeof err)) {
		if (n > RP_DOCKER_CONTAINERS_MAX)
			abort();
		rp_docker_summaries_free(s, n);
	}
	struct rp_docker_inspect c;
	if (rp_docker_parse_inspect(body, size, &c, err, sizeof err))
		for (size_t i = 0; i < c.nenv; i++)
			if (!c.env[i].name[0] || strchr(c.env[i].name, '='))
				abort(); /* a name, never a value */
	rp_docker_inspect_free(&c);
	struct rp_buf text;
	rp_buf_init(&text);
	rp_docker_logs_text(body, size, size > 0 && data[0] == 'T', &text);
	if (text.len > size)
		abort(); /* taking frames apart never adds bytes */
	const char *line;
	size_t len;
	if (rp_text_last_error_line(text.data ? text.data : "", text.len, &line, &len) &&
	    (len == 0 || line < text.data || line + len > text.data + text.len ||
	     memchr(line, '\n', len)))
		abort();
	rp_buf_free(&text);
	char words[64];
	rp_docker_error_message(body, size, words, sizeof words);
	if (strlen(words) >= sizeof words)
		abort();
	return 0;
}
