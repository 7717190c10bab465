# Zone-level WAF custom rules, as the Cloudflare Terraform provider (v4) writes them.
resource "cloudflare_ruleset" "zone_custom_firewall" {
  zone_id     = var.zone_id
  name        = "Phase entry point ruleset for custom rules in my zone"
  description = ""
  kind        = "zone"
  phase       = "http_request_firewall_custom"

  rules {
    ref         = "allow_health_checks"
    description = "Health checks from the monitoring network"
    expression  = "(http.request.uri.path eq \"/healthz\" and ip.src in {192.0.2.0/24})"
    action      = "skip"
    action_parameters {
      ruleset = "current"
    }
    logging {
      enabled = true
    }
  }

  rules {
    ref         = "block_wp_login"
    description = "Block wp-login outside the office"
    expression  = <<-EOT
      (http.request.uri.path contains "/wp-login.php"
        and not ip.src in {203.0.113.0/24})
    EOT
    action      = "block"
  }

  rules {
    ref         = "run_api_ruleset"
    description = "API rules"
    expression  = "(http.host eq \"api.example.com\")"
    action      = "execute"
    action_parameters {
      id = cloudflare_ruleset.api_rules.id
    }
  }
}

resource "cloudflare_ruleset" "api_rules" {
  account_id = var.account_id
  name       = "API rules"
  kind       = "custom"
  phase      = "http_request_firewall_custom"

  rules {
    ref        = "api_block_old_clients"
    expression = "any(http.request.headers[\"user-agent\"][*] wildcard \"oldclient/1.*\")"
    action     = "block"
    action_parameters {
      response {
        status_code  = 403
        content      = "{\"error\": \"upgrade your client\"}"
        content_type = "application/json"
      }
    }
  }
}

/* Provider v5 writes rules as a list attribute. */
resource "cloudflare_ruleset" "zone_ratelimit" {
  zone_id = var.zone_id
  name    = "rate limits"
  kind    = "zone"
  phase   = "http_ratelimit"
  rules = [{
    ref         = "login_rate"
    description = "Login attempts"
    expression  = "(http.request.uri.path eq \"/wp-login.php\")"
    action      = "block"
    ratelimit = {
      characteristics     = ["cf.colo.id", "ip.src"]
      period              = 60
      requests_per_period = 10
      mitigation_timeout  = 600
    }
  }]
}
