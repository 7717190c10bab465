// CModSecurity holds only a header (include/why403_modsecurity.h); a C target needs one source file.
#include "why403_modsecurity.h"
