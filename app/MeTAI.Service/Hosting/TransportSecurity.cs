using System.Net;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Transport and browser protections: HTTPS with a configured certificate (Kestrel's own
/// <c>Kestrel:Certificates:Default:Path</c> + <c>KeyPath</c> for PEM files, or <c>Password</c> for a .pfx, with an
/// <c>https://</c> URL), HSTS on HTTPS responses, a warning when plain HTTP is bound beyond loopback, and on every
/// response the security headers and a Content-Security-Policy that the pages satisfy (no inline or outside
/// scripts); API answers are never cached.
/// </summary>
public static partial class TransportSecurity
{
    /// <summary>The Content-Security-Policy of every response. Styles allow inline attributes (the pages set widths and colours with them); scripts do not.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The plain-HTTP URLs among <paramref name="urls"/> (';'-separated) that listen beyond loopback.</summary>
    public static IReadOnlyList<string> PlainBeyondLoopback(string? urls)
    {
        var found = new List<string>();
        foreach (string url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string host = url["http://".Length..].Split('/')[0];
            host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
            bool loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                found.Add(url);
            }
        }

        return found;
    }

    /// <summary>Security headers, no-store on the API, HSTS on HTTPS; warns about plain HTTP beyond loopback.</summary>
    public static WebApplication UseMetaiTransportSecurity(this WebApplication app, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (string url in PlainBeyondLoopback(app.Configuration["urls"]))
        {
            LogPlainHttp(logger, url);
        }

        app.Use((context, next) =>
        {
            IHeaderDictionary h = context.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                h.CacheControl = "no-store";
            }

            if (context.Request.IsHttps)
            {
                h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return next(context);
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening on {Url}: plain HTTP beyond loopback sends passwords, tokens and patient data unencrypted. Use an https:// URL with Kestrel:Certificates:Default:Path (and KeyPath or Password), or bind 127.0.0.1 behind a TLS proxy")]
    private static partial void LogPlainHttp(ILogger logger, string url);
}
