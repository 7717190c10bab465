// The common form of a flat NDJSON record (Cloudflare Logpush), read in one pass: `FlatJSON`'s fast path.
//
// Written in C, not Swift, for speed: `FlatJSON.Reader` (Swift) spent some 8,800 instructions on a 560-byte Logpush
// line, a byte at a time through bounds-checked cursors, and that pass was the largest cost of a Cloudflare scan after
// the needle search itself. No library in the project's set reads JSON members without building values.
//
// The line is first turned into bit masks, 64 bytes at a time (AVX2 or SSE2 where there is one): its quotes, its bytes above
// 0x7F, and the bytes this reader refuses (`\`, control characters, DEL). A line holding none of the last has no escape,
// so every quote opens or closes a string, and strings are passed over by finding the next quote bit (as simdjson's
// first stage does) instead of byte by byte; numbers and literals are read byte by byte (they are short).
//
// This reader accepts only a strict subset of JSON: one object with no white space outside strings, member names of
// plain ASCII, values that are strings, numbers, `true`, `false`, `null`, or arrays of those (no nesting), and no
// escape, control character or DEL anywhere in the line. Everything it accepts is valid JSON and its spans are the ones
// the Swift reader notes; any other line (an escape, white space, a nested object, a trailing comma, an error) returns
// 0 and the Swift reader, which knows the whole grammar, reads it. So it is never the judge of a line it does not
// fully understand. A line it accepts holds no byte `why403_has_binary_bytes` flags, which the caller then need not ask.

#include "why403_scan.h"
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define WHY403_NOT_PLAIN (1 << 30)
/// Lines up to 64 KiB (the scan's line limit) take the fast road; longer ones the Swift reader.
#define WHY403_FLAT_BLOCKS 1024

/// Whether `a[0..<n]` and `b[0..<n]` are equal, eight bytes at a time (a name is some ten to thirty bytes: a call to
/// `memcmp` per member cost more than the compare).
static inline int same(const uint8_t *a, const uint8_t *b, size_t n) {
    if (n < 8) {
        for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return 0;
        return 1;
    }
    uint64_t x, y;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

uint64_t why403_json_keys_serial(void) {
    static uint64_t next = 0;
    return __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);  // from 1: 0 is the hints' "none yet"
}

int64_t why403_json_slot(const uint8_t *name, size_t len, int64_t mask) {
    uint64_t n = len;
    uint64_t h = n * 0x9E37;
    if (n > 0) h = h + (uint64_t)name[0] * 31 + (uint64_t)name[n - 1] * 131 + (uint64_t)name[n / 2] * 7 + (uint64_t)name[n * 3 / 4] * 17;
    return (int64_t)((h ^ (h >> 7)) & (uint64_t)mask);
}

/// The key index of the plain ASCII name `name[0..<len]`, -1 when not asked for.
static inline int32_t key_index(const why403_json_keys *k, const uint8_t *name, size_t len) {
    if (len == 0) return k->empty_key;
    int64_t s = why403_json_slot(name, len, k->mask);
    for (;;) {
        int64_t key = k->table[s];
        if (key < 0) return -1;
        int32_t from = k->starts[key], to = k->starts[key + 1];
        if ((size_t)(to - from) == len && same(k->packed + from, name, len)) return (int32_t)key;
        s = (s + 1) & k->mask;
    }
}

/// The names met at each member position of the last line this thread read, and their key indexes: a log writes its
/// members in one order line after line (Logpush does), so a name equal to the one at its position last time has the
/// same index, found by one compare instead of a hash and a probe (`key_index` is a function of the keys and the name
/// alone; the hints are dropped when another key set, told by its serial, is read). Names up to 32 bytes, the first 64
/// positions.
#define WHY403_HINTS 64
#define WHY403_HINT_NAME 32
typedef struct {
    uint64_t serial;
    uint8_t len[WHY403_HINTS];
    int32_t key[WHY403_HINTS];
    uint8_t name[WHY403_HINTS][WHY403_HINT_NAME];
} key_hints;
static __thread key_hints hints;

/// `key_index` of the name at member position `at`, through the hints.
static inline int32_t hinted_key_index(const why403_json_keys *k, const uint8_t *name, size_t len, size_t at) {
    if (at >= WHY403_HINTS || len == 0 || len > WHY403_HINT_NAME) return key_index(k, name, len);
    if (hints.serial != k->serial) {
        memset(hints.len, 0, sizeof hints.len);
        hints.serial = k->serial;
    }
    if (hints.len[at] == len && same(hints.name[at], name, len)) return hints.key[at];
    int32_t key = key_index(k, name, len);
    hints.len[at] = (uint8_t)len;
    hints.key[at] = key;
    memcpy(hints.name[at], name, len);
    return key;
}

static inline int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/// A number by RFC 8259's grammar at `*i`; 0 when there is none.
static inline int number(const uint8_t *b, size_t n, size_t *i) {
    size_t j = *i;
    if (j < n && b[j] == '-') j++;
    if (j >= n || !is_digit(b[j])) return 0;
    if (b[j] == '0') j++; else while (j < n && is_digit(b[j])) j++;
    if (j < n && b[j] == '.') {
        j++;
        if (j >= n || !is_digit(b[j])) return 0;
        while (j < n && is_digit(b[j])) j++;
    }
    if (j < n && (b[j] == 'e' || b[j] == 'E')) {
        j++;
        if (j < n && (b[j] == '+' || b[j] == '-')) j++;
        if (j >= n || !is_digit(b[j])) return 0;
        while (j < n && is_digit(b[j])) j++;
    }
    *i = j;
    return 1;
}

/// A number or literal (`true`, `false`, `null`) at `*i`, not a string; 0 when it is none.
static inline int bare(const uint8_t *b, size_t n, size_t *i) {
    size_t j = *i;
    switch (b[j]) {
    case 't':
        if (n - j < 4 || memcmp(b + j, "true", 4) != 0) return 0;
        *i = j + 4;
        return 1;
    case 'f':
        if (n - j < 5 || memcmp(b + j, "false", 5) != 0) return 0;
        *i = j + 5;
        return 1;
    case 'n':
        if (n - j < 4 || memcmp(b + j, "null", 4) != 0) return 0;
        *i = j + 4;
        return 1;
    default:
        return number(b, n, i);
    }
}

/// The line's quotes, one bit per byte in 64-byte blocks, and whether it holds a byte the fast road does not read
/// (`\`, a control character or DEL: an escape, or a line `looksBinary` flags) or, per block, bytes above 0x7F.
typedef struct {
    uint64_t quotes[WHY403_FLAT_BLOCKS];
    uint64_t high[WHY403_FLAT_BLOCKS];
    size_t blocks;
    /// A byte of the line is above 0x7F (else names need no check).
    int any_high;
} line_masks;

/// The masks of one 64-byte block: quotes, bytes above 0x7F, and the bytes the fast road refuses.
static inline void block_masks(const uint8_t *p, uint64_t *quote, uint64_t *high, uint64_t *bad) {
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
    uint64_t qm = 0, hm = 0, xm = 0;
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i refuse = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, bs), _mm_cmpeq_epi8(x, del)),
                                      _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl));
        qm |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, q)) << (16 * k);
        hm |= (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * k);
        xm |= (uint64_t)(uint32_t)_mm_movemask_epi8(refuse) << (16 * k);
    }
    *quote = qm; *high = hm; *bad = xm;
#else
    uint64_t qm = 0, hm = 0, xm = 0;
    for (int k = 0; k < 64; k++) {
        uint8_t c = p[k];
        qm |= (uint64_t)(c == '"') << k;
        hm |= (uint64_t)(c >= 0x80) << k;
        xm |= (uint64_t)(c == '\\' || c < 0x20 || c == 0x7F) << k;
    }
    *quote = qm; *high = hm; *bad = xm;
#endif
}

/// The body of `line_masks_of` over a block builder `BLOCK`: written once, compiled twice (plainly, and for AVX2 with
/// `block_masks_avx2`, where the whole function must carry the target for the builder to inline).
#define WHY403_LINE_MASKS_BODY(BLOCK)                                   \
    size_t full = n / 64, k = 0;                                        \
    uint64_t bad = 0, high = 0, q, h, x;                                \
    for (; k < full; k++) {                                             \
        BLOCK(b + 64 * k, &q, &h, &x);                                  \
        m->quotes[k] = q; m->high[k] = h; bad |= x; high |= h;          \
    }                                                                   \
    size_t rest = n - 64 * full;                                        \
    if (rest) {                                                         \
        uint8_t tail[64];                                               \
        memset(tail, ' ', sizeof tail);                                 \
        memcpy(tail, b + 64 * full, rest);                              \
        BLOCK(tail, &q, &h, &x);                                        \
        m->quotes[k] = q; m->high[k] = h; bad |= x; high |= h;          \
        k++;                                                            \
    }                                                                   \
    m->blocks = k;                                                      \
    m->any_high = high != 0;                                            \
    return bad == 0;

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
/// `block_masks` 32 bytes a step, on an AVX2 CPU (half the steps of the SSE2 loop: the masks were a fifth of this
/// reader's instructions on a 560-byte Logpush line).
__attribute__((target("avx2")))
static inline void block_masks_avx2(const uint8_t *p, uint64_t *quote, uint64_t *high, uint64_t *bad) {
    const __m256i q = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\'), ctl = _mm256_set1_epi8(0x1F), del = _mm256_set1_epi8(0x7F);
    uint64_t qm = 0, hm = 0, xm = 0;
    for (int k = 0; k < 2; k++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(p + 32 * k));
        __m256i refuse = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, bs), _mm256_cmpeq_epi8(x, del)),
                                         _mm256_cmpeq_epi8(_mm256_max_epu8(x, ctl), ctl));
        qm |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, q)) << (32 * k);
        hm |= (uint64_t)(uint32_t)_mm256_movemask_epi8(x) << (32 * k);
        xm |= (uint64_t)(uint32_t)_mm256_movemask_epi8(refuse) << (32 * k);
    }
    *quote = qm; *high = hm; *bad = xm;
}

/// `line_masks_of` with `block_masks_avx2`.
__attribute__((target("avx2")))
static int line_masks_of_avx2(const uint8_t *b, size_t n, line_masks *m) { WHY403_LINE_MASKS_BODY(block_masks_avx2) }
#define WHY403_FLAT_AVX2 1
#endif

/// Fills `m` for `b[0..<n]`; 0 when the line holds a byte the fast road refuses.
static int line_masks_of(const uint8_t *b, size_t n, line_masks *m) { WHY403_LINE_MASKS_BODY(block_masks) }

/// The first quote at or after `p`, or `SIZE_MAX`.
static inline size_t next_quote(const line_masks *m, size_t p) {
    size_t k = p >> 6;
    if (k >= m->blocks) return SIZE_MAX;
    uint64_t bits = m->quotes[k] & (~0ULL << (p & 63));
    while (!bits) {
        if (++k >= m->blocks) return SIZE_MAX;
        bits = m->quotes[k];
    }
    return 64 * k + (size_t)__builtin_ctzll(bits);
}

/// Whether a byte of `from..<to` is above 0x7F.
static inline int any_high(const line_masks *m, size_t from, size_t to) {
    for (size_t p = from; p < to; p = (p | 63) + 1) {
        size_t k = p >> 6, end = to < ((p | 63) + 1) ? to : (p | 63) + 1;
        uint64_t span = (end - p == 64 ? ~0ULL : ((1ULL << (end - p)) - 1)) << (p & 63);
        if (m->high[k] & span) return 1;
    }
    return 0;
}

int why403_flat_json_masks_agree(const uint8_t *b, size_t n) {
    if (n > 64 * WHY403_FLAT_BLOCKS) return 1;
    static line_masks plain, wide;
    int ok = line_masks_of(b, n, &plain);
#ifdef WHY403_FLAT_AVX2
    if (!why403_cpu_has_avx2()) return 1;
    if (line_masks_of_avx2(b, n, &wide) != ok || wide.blocks != plain.blocks || wide.any_high != plain.any_high) return 0;
    for (size_t k = 0; k < plain.blocks; k++)
        if (wide.quotes[k] != plain.quotes[k] || wide.high[k] != plain.high[k]) return 0;
#else
    (void)wide; (void)ok;
#endif
    return 1;
}

int why403_flat_json(const uint8_t *b, size_t n, const why403_json_keys *keys, int32_t *out) {
    for (int32_t k = 0; k < keys->count; k++) {
        out[1 + 2 * k] = -1;
        out[2 + 2 * k] = WHY403_NOT_PLAIN;
    }
    out[0] = 0;
    if (n < 2 || n > 64 * WHY403_FLAT_BLOCKS || b[0] != '{') return 0;
    line_masks m;
    // No escape, no control character anywhere: every quote opens or closes a string.
#ifdef WHY403_FLAT_AVX2
    if (!(why403_cpu_has_avx2() ? line_masks_of_avx2(b, n, &m) : line_masks_of(b, n, &m))) return 0;
#else
    if (!line_masks_of(b, n, &m)) return 0;
#endif
    size_t i = 1, member = 0;
    if (b[i] == '}') {
        i++;
    } else {
        for (;;) {
            if (i >= n || b[i] != '"') return 0;
            size_t ne = next_quote(&m, i + 1);
            if (ne >= n || (m.any_high && any_high(&m, i + 1, ne))) return 0;
            int32_t key = hinted_key_index(keys, b + i + 1, ne - i - 1, member++);
            i = ne + 1;
            if (i >= n || b[i] != ':') return 0;
            i++;
            if (i >= n) return 0;
            size_t vs = i;
            int plain = 0;
            if (b[i] == '"') {
                size_t e = next_quote(&m, i + 1);
                if (e >= n) return 0;
                i = e + 1;
                plain = 1;
            } else if (b[i] == '[') {
                i++;
                if (i < n && b[i] == ']') {
                    i++;
                } else {
                    for (;;) {
                        if (i >= n) return 0;
                        if (b[i] == '"') {
                            size_t e = next_quote(&m, i + 1);
                            if (e >= n) return 0;
                            i = e + 1;
                        } else if (b[i] == '[' || b[i] == '{' || !bare(b, n, &i)) {
                            return 0;
                        }
                        if (i >= n) return 0;
                        if (b[i] == ',') { i++; continue; }
                        if (b[i] == ']') { i++; break; }
                        return 0;
                    }
                }
            } else if (b[i] == '{' || !bare(b, n, &i)) {
                return 0;
            }
            if (key >= 0) {
                out[1 + 2 * key] = (int32_t)vs;
                out[2 + 2 * key] = (int32_t)i | (plain ? 0 : WHY403_NOT_PLAIN);
            }
            if (i >= n) return 0;
            if (b[i] == ',') { i++; continue; }
            if (b[i] == '}') { i++; break; }
            return 0;
        }
    }
    if (i != n) return 0;
    out[0] = 1;
    return 1;
}
