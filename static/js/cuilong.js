// Cuilong CRM's own scripts. htmx sends the CSRF token from <body hx-headers>.
