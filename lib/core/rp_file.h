/* rp_file.h: reading a small file the way a check must: never blocking on a
 * FIFO or a device, never reading past a bound, and saying why not. */
#ifndef RP_FILE_H
#define RP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The whole regular file at path (at most max bytes), NUL-terminated, with
 * its length and mode (either may be NULL). NULL on failure, with why:
 * "does not exist", "cannot be read: Permission denied", "is not a regular
 * file", "is larger than 1048576 bytes". Caller frees. */
char *rp_file_read(const char *path, size_t max, size_t *len, mode_t *mode, char *why,
                   size_t whylen);

/* True when path is a regular file this process can read, without
 * blocking on a FIFO; else why ("is not a regular file", "does not
 * exist"). For files a library reads itself (a CA file for libcurl or
 * OpenSSL, which would block on a FIFO). */
bool rp_file_usable(const char *path, char *why, size_t whylen);

/* For a file holding secrets: "its group" or "others" when they may read
 * it, else NULL (ssh's rule for keys). */
const char *rp_file_readers(mode_t mode);

/* Writes all of buf to fd, retrying on EINTR and short writes. */
bool rp_file_write_all(int fd, const char *buf, size_t len);

#endif
