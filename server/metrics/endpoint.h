/* endpoint.h: the HTTP side of the metrics (issue 15): the /metrics handler and the h2o logger that
 * counts GraphQL requests when they end. The counters themselves are metrics.h. */
#ifndef GG_METRICS_ENDPOINT_H
#define GG_METRICS_ENDPOINT_H

#include <h2o.h>

#include "gateway/gateway.h"

/* Answers a scrape (GET or HEAD of metrics.path exactly) in the Prometheus text format 0.0.4; a
 * route handler (gg_route) of server/http. Any other path under it: -1 (the catch-all answers). */
int gg_metrics_on_req(h2o_handler_t *self, h2o_req_t *req);
/* Counts every request of pathconf when it ends (status, duration, operation type). */
void gg_metrics_register_logger(h2o_pathconf_t *pathconf);
/* Remembers the operation type of req for that count. */
void gg_metrics_set_operation(h2o_req_t *req, gg_op_kind kind);

#endif
