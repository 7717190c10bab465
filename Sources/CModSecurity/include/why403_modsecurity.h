/*
 * The few functions of libmodsecurity 3's C API that why403 calls, as function-pointer types.
 *
 * why403 does not link libmodsecurity: it opens libmodsecurity.so.3 with dlopen at run time and looks
 * these symbols up with dlsym (Why403ModSecurity/Engine/ModSecurityLibrary.swift), so the project builds
 * and `why403 lab` runs on a machine without the library. The types below restate the declarations of
 * <modsecurity/modsecurity.h>, <modsecurity/rules_set.h>, <modsecurity/transaction.h> and
 * <modsecurity/intervention.h> (libmodsecurity 3.0.x, Apache-2.0) for exactly the calls we make.
 */
#ifndef WHY403_MODSECURITY_H
#define WHY403_MODSECURITY_H

#include <stddef.h>

/* ModSecurityIntervention_t: the engine's answer after a phase. `url` and `log` are malloc'd by the
 * engine and freed by the caller. */
typedef struct why403_msc_intervention {
    int status;
    int pause;
    char *url;
    char *log;
    int disruptive;
} why403_msc_intervention;

/* Called for every message a rule logs; the first argument is the transaction's logCbData, the second a
 * `const char *` (the text the Apache error log would hold). */
typedef void (*why403_msc_log_cb)(void *data, const void *message);

typedef void *(*why403_msc_init_fn)(void);
typedef void (*why403_msc_set_connector_info_fn)(void *msc, const char *connector);
typedef void (*why403_msc_set_log_cb_fn)(void *msc, why403_msc_log_cb cb);
typedef void (*why403_msc_cleanup_fn)(void *msc);
typedef const char *(*why403_msc_who_am_i_fn)(void *msc);

typedef void *(*why403_msc_create_rules_set_fn)(void);
typedef int (*why403_msc_rules_add_fn)(void *rules, const char *plain_rules, const char **error);
typedef int (*why403_msc_rules_add_file_fn)(void *rules, const char *file, const char **error);
typedef int (*why403_msc_rules_cleanup_fn)(void *rules);

typedef void *(*why403_msc_new_transaction_fn)(void *msc, void *rules, void *log_cb_data);
typedef int (*why403_msc_process_connection_fn)(void *t, const char *client, int client_port,
                                                const char *server, int server_port);
typedef int (*why403_msc_process_uri_fn)(void *t, const char *uri, const char *method, const char *http_version);
typedef int (*why403_msc_add_n_request_header_fn)(void *t, const unsigned char *key, size_t key_len,
                                                  const unsigned char *value, size_t value_len);
typedef int (*why403_msc_process_request_headers_fn)(void *t);
typedef int (*why403_msc_append_request_body_fn)(void *t, const unsigned char *body, size_t size);
typedef int (*why403_msc_process_request_body_fn)(void *t);
typedef int (*why403_msc_intervention_fn)(void *t, why403_msc_intervention *it);
typedef int (*why403_msc_process_logging_fn)(void *t);
typedef void (*why403_msc_transaction_cleanup_fn)(void *t);

#endif
