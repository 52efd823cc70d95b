// Cuilong CRM's own scripts. htmx sends the CSRF token from <body hx-headers>.

// A form that fails validation answers 400 (or 422) with the form and its errors: swap it in,
// so the user sees what to fix. htmx 2 would otherwise drop 4xx responses silently.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "40[0]|422", swap: true, error: false },
  { code: "[45]..", swap: false, error: true },
  { code: "...", swap: false },
];
