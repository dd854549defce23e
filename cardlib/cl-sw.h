/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sw.h: status words, in words a clerk understands (zh_CN via gettext). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated sentence for the SW ("The PIN is wrong: 2 tries left."). */
const char *cl_sw_describe (guint16 sw);

/* Sets a CL_ERROR matching the SW (CL_ERROR_WRONG_PIN for 63Cx, CL_ERROR_LOCKED
 * for 6983, CL_ERROR_MAC for 9302, CL_ERROR_SECURITY for 6982, …) whose
 * message is "<what>: <cl_sw_describe> (SW xxxx)". */
void cl_set_error_from_sw (GError **error, guint16 sw, const char *what);

/* The ClError code cl_set_error_from_sw() would use for the SW. */
int cl_sw_error_code (guint16 sw);

G_END_DECLS
