// zlib, for streaming .gz logs and gzip-encoded saved responses. Hand-linked because no package here offers streaming inflate
// over plain file reads without bringing in the NIO event-loop stack.
#include <zlib.h>
