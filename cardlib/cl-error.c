/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-error.c: the CL_ERROR domain. */
#include "cl-error.h"

G_DEFINE_QUARK (insucard_cardlib_error, cl_error)
