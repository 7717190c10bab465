# Provider v4: item blocks with a value block.
resource "cloudflare_list" "office" {
  account_id  = var.account_id
  name        = "office_ips"
  description = "Office addresses"
  kind        = "ip"

  item {
    value {
      ip = "198.51.100.0/24"
    }
    comment = "office"
  }
  item {
    value {
      ip = "203.0.113.9"
    }
  }
}

resource "cloudflare_list" "partners" {
  account_id = var.account_id
  name       = "partner_asns"
  kind       = "asn"
  item {
    value {
      asn = 64496
    }
  }
}

# Provider v5: an items attribute.
resource "cloudflare_list" "hosts" {
  account_id = var.account_id
  name       = "allowed_hosts"
  kind       = "hostname"
  items = [
    { hostname = { url_hostname = "api.example.com" } },
    { hostname = { url_hostname = "*.example.net" } },
  ]
}
