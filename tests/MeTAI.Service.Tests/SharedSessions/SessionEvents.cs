using System.Net;
using System.Text.Json;

namespace MeTAI.Service.Tests.SharedSessions;

/// <summary>A participant's server-sent event stream of a shared session, read event by event.</summary>
internal sealed class SessionEvents : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(60));

    private SessionEvents(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<SessionEvents> OpenAsync(HttpClient client, string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/shared-sessions/{sessionId}/events");
        HttpResponseMessage r = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/event-stream", r.Content.Headers.ContentType?.MediaType);
        return new SessionEvents(r, new StreamReader(await r.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event named <paramref name="name"/> (others are skipped), with the time it was read.</summary>
    public async Task<JsonElement> NextAsync(string name) => (await NextWithTimeAsync(name)).Data;

    /// <summary>The next event named <paramref name="name"/> and when it was read (UTC).</summary>
    public async Task<(JsonElement Data, DateTime ReadUtc)> NextWithTimeAsync(string name)
    {
        string? eventName = null;
        while (true)
        {
            string? line = await _reader.ReadLineAsync(_cts.Token);
            Assert.True(line is not null, $"the stream ended before a '{name}' event");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
            {
                DateTime read = DateTime.UtcNow;
                using JsonDocument doc = JsonDocument.Parse(line["data: ".Length..]);
                return (doc.RootElement.Clone(), read);
            }
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _reader.Dispose();
        _response.Dispose();
        _cts.Dispose();
    }
}
