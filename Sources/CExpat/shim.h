// Debian's libexpat is built with DTD support; declaring it exposes the billion-laughs
// protection setters (expat >= 2.4), which the header guards with XML_DTD.
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>
