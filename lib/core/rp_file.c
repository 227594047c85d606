#include "rp_file.h"
#include "rp_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens path the way a check must: never blocking on a FIFO, only a
 * regular file. -1 with why set otherwise. */
static int open_regular(const char *path, struct stat *st, char *why, size_t whylen)
{
	/* O_NONBLOCK: opening a FIFO with no writer must not hang the check */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "does not exist");
		else
			snprintf(why, whylen, "cannot be read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		snprintf(why, whylen, "is not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

bool rp_file_usable(const char *path, char *why, size_t whylen)
{
	struct stat st;
	int fd = open_regular(path, &st, why, whylen);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

char *rp_file_read(const char *path, size_t max, size_t *len, mode_t *mode, char *why,
                   size_t whylen)
{
	struct stat st;
	int fd = open_regular(path, &st, why, whylen);
	if (fd < 0)
		return NULL;
	if ((size_t)st.st_size > max) {
		snprintf(why, whylen, "is larger than %zu bytes", max);
		close(fd);
		return NULL;
	}
	char *buf = rp_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	if (len)
		*len = got;
	if (mode)
		*mode = st.st_mode;
	return buf;
}

const char *rp_file_readers(mode_t mode)
{
	return (mode & S_IROTH) ? "others" : (mode & S_IRGRP) ? "its group" : NULL;
}

bool rp_file_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}
