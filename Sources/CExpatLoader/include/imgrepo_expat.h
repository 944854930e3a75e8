/* imgrepo_expat.h: libexpat, loaded with dlopen on first use (see imgrepo_loader.h).
 *
 * Only reading XMP packets needs it (upload, index). The types and constants are expat's own;
 * the functions are reached only through the table `imgrepo_expat_load` returns.
 */
#ifndef IMGREPO_EXPAT_H
#define IMGREPO_EXPAT_H

/* Debian's libexpat is built with DTD support; declaring it exposes the billion-laughs
 * protection setters (expat >= 2.4), which the header guards with XML_DTD. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

/* Every expat function ImgrepoXMP calls. Add one here to use it. */
#define IMGREPO_EXPAT_FUNCTIONS(X) \
    X(XML_ParserCreateNS) X(XML_ParserFree) X(XML_SetUserData) X(XML_SetParamEntityParsing) \
    X(XML_SetBillionLaughsAttackProtectionMaximumAmplification) \
    X(XML_SetStartDoctypeDeclHandler) X(XML_SetEntityDeclHandler) X(XML_SetElementHandler) \
    X(XML_SetCharacterDataHandler) X(XML_Parse) X(XML_StopParser) X(XML_GetErrorCode) \
    X(XML_ErrorString) X(XML_GetCurrentLineNumber) X(XML_GetCurrentColumnNumber)

struct imgrepo_expat {
#define IMGREPO_EXPAT_FIELD(name) __typeof__(name) *_Nonnull name;
    IMGREPO_EXPAT_FUNCTIONS(IMGREPO_EXPAT_FIELD)
#undef IMGREPO_EXPAT_FIELD
};

/* Loads libexpat.so.1 once (thread-safe) and returns the table; NULL when it cannot be loaded,
 * with `*problem` saying what is missing and how to install it. */
const struct imgrepo_expat *_Nullable imgrepo_expat_load(const char *_Nullable *_Nonnull problem);

#endif
