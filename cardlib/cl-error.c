/* cl-error.c: the CL_ERROR domain. */
#include "cl-error.h"

G_DEFINE_QUARK (cl-error-quark, cl_error)
