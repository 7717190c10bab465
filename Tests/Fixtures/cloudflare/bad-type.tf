resource "cloudflare_ruleset" "bad" {
  zone_id = "023e105f4ecef8ad9ca31a8372d0c353"
  name    = "bad"
  kind    = "zone"
  phase   = "http_request_firewall_custom"

  rules {
    ref        = "asn-as-string"
    expression = "ip.src.asnum eq \"13335\""
    action     = "block"
  }
}
