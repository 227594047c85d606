/* rp_util.h: the basics every file uses: allocation that never returns
 * NULL (rp_x.h), the string buffer (rp_buf.h), locale-independent numbers
 * (rp_number.h) and string vectors (rp_strv.h). */
#ifndef RP_UTIL_H
#define RP_UTIL_H

#include "rp_buf.h"
#include "rp_number.h"
#include "rp_strv.h"
#include "rp_x.h"

#include <stdbool.h>
#include <stddef.h>

/* What our requests call themselves: no plugin's name, lib/ serves them
 * all (PACKAGE_VERSION comes from config.h where it is used). */
#define RP_USER_AGENT "readiness-plugins/" PACKAGE_VERSION

#endif
