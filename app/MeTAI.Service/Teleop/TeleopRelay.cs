using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using MeTAI.Service.Audit;
using MeTAI.Service.Controller;

namespace MeTAI.Service.Teleop;

/// <summary>
/// MQTT over WebSockets for the browser console, same origin: the WebSocket's binary messages are relayed byte for byte
/// to the controller's broker over TCP (no delay) and back, so the page's Content-Security-Policy stays
/// <c>connect-src 'self'</c> and only the service is exposed. The relay parses no MQTT: the broker authenticates the
/// CONNECT (the token) and enforces the ACL, as for any master. The relay itself admits only a WebSocket upgrade from
/// this origin carrying a valid, unexpired console credential issued to the holder of control (<see cref="ControlLease"/>),
/// and closes the relay within 100 ms of control passing to someone else.
/// </summary>
public static partial class TeleopRelay
{
    /// <summary>The WebSocket subprotocol of MQTT.</summary>
    public const string SubProtocol = "mqtt";

    /// <summary>Handles one relay request until either side closes or the service stops.</summary>
    public static async Task RunAsync(HttpContext http, TeleopIssuer issuer, ControlLease lease, ControllerMonitor monitor, PhiAudit audit, ILogger logger, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(audit);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Refuse(http, StatusCodes.Status400BadRequest, "Not a WebSocket request", "This is the MQTT-over-WebSocket relay of the console: open it as a WebSocket (subprotocol mqtt).").ConfigureAwait(false);
            return;
        }

        // Browsers send cookies with cross-site WebSocket handshakes; the credential is in the query, but refuse other origins anyway.
        string? origin = http.Request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin) && !SameOrigin(origin, http.Request))
        {
            await Refuse(http, StatusCodes.Status403Forbidden, "Cross-origin WebSocket refused", $"Origin {origin} is not this service.").ConfigureAwait(false);
            return;
        }

        if (issuer.Unavailable() is not null || monitor.BrokerAddress is not { } broker)
        {
            await Refuse(http, StatusCodes.Status503ServiceUnavailable, "Teleoperation unavailable", issuer.Unavailable() ?? "No controller broker.").ConfigureAwait(false);
            return;
        }

        string? master = http.Request.Query["master"];
        if (!issuer.Verify(master, http.Request.Query["token"], out string issuedTo, out string reason))
        {
            LogRefused(logger, master ?? "", reason);
            await Refuse(http, StatusCodes.Status401Unauthorized, "Console credential refused", reason).ConfigureAwait(false);
            return;
        }

        if (lease.Current.Holder != issuedTo)
        {
            string why = lease.Current.Holder is { } holder ? $"control is held by '{holder}'" : "nobody holds control";
            LogRefused(logger, master!, $"credential of '{issuedTo}', but {why}");
            await Refuse(http, StatusCodes.Status403Forbidden, "Not the holder of control", $"The credential was issued to '{issuedTo}', but {why}.").ConfigureAwait(false);
            return;
        }

        using var tcp = new TcpClient { NoDelay = true };
        Stream stream;
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync(broker.Host, broker.Port, connectTimeout.Token).ConfigureAwait(false);
            stream = tcp.GetStream();
            if (broker.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = broker.Host }, connectTimeout.Token).ConfigureAwait(false);
                stream = ssl;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            await Refuse(http, StatusCodes.Status502BadGateway, "Controller broker unreachable", $"Cannot reach the controller's broker at {broker.Host}:{broker.Port}: {ex.Message}").ConfigureAwait(false);
            return;
        }

        await using (stream.ConfigureAwait(false))
        {
            string? sub = http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol) ? SubProtocol : null;
            using WebSocket ws = await http.WebSockets.AcceptWebSocketAsync(sub).ConfigureAwait(false);
            audit.RecordSystem("teleopSession", ("account", issuedTo), ("master", master!), ("from", http.Connection.RemoteIpAddress?.ToString() ?? ""));
            LogOpened(logger, issuedTo, master!, broker.Host, broker.Port);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            lease.RelayOpened(issuedTo);
            try
            {
                Task up = UpAsync(ws, stream, cts.Token);
                Task down = DownAsync(stream, ws, cts.Token);
                Task held = WhileHolderAsync(lease, issuedTo, cts.Token);
                await Task.WhenAny(up, down, held).ConfigureAwait(false);
                await cts.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down, held).ConfigureAwait(false);
            }
            finally
            {
                lease.RelayClosed(issuedTo);
            }

            await CloseQuietly(ws).ConfigureAwait(false);
            LogClosed(logger, issuedTo, master!);
        }
    }

    // Ends when control is no longer the relay's user's (handed over, taken over, released): the relay then closes.
    private static async Task WhileHolderAsync(ControlLease lease, string user, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (lease.Current.Holder == user && await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Browser → broker: every binary message's bytes, in order (MQTT packets may span or share messages).
    private static async Task UpAsync(WebSocket ws, Stream broker, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult r = await ws.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (r.MessageType != WebSocketMessageType.Binary)
                {
                    return; // close, or text (MQTT over WebSocket is binary only)
                }

                await broker.WriteAsync(buffer.AsMemory(0, r.Count), ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Either side went away: the relay closes both.
        }
    }

    // Broker → browser: whatever the broker sends, as binary messages.
    private static async Task DownAsync(Stream broker, WebSocket ws, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await broker.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                await ws.SendAsync(buffer.AsMemory(0, n), WebSocketMessageType.Binary, endOfMessage: true, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private static async Task CloseQuietly(WebSocket ws)
    {
        if (ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "relay closed", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? o)
        && string.Equals(o.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console relay refused for master '{Master}': {Reason}")]
    private static partial void LogRefused(ILogger logger, string master, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console relay opened for {User} as master '{Master}' to {Host}:{Port}")]
    private static partial void LogOpened(ILogger logger, string user, string master, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console relay closed for {User} (master '{Master}')")]
    private static partial void LogClosed(ILogger logger, string user, string master);
}
