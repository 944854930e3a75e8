#include <gd.h>
/* libgd's built-in bitmap fonts, for fixture text (no font files needed). */
#include <gdfontg.h>
#include <gdfontl.h>
