using Microsoft.AspNetCore.Diagnostics;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a body of the wrong type, a body over Kestrel's
/// limit) into problem details with the framework's explanation, instead of a 500 or an empty 400.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        // The JSON reader's own message names the field ($.beams) and what it expected (a number sent as "5" is refused).
        string detail = bad.InnerException is System.Text.Json.JsonException json
            ? $"{bad.Message} At {json.Path ?? "$"}: {json.Message}"
            : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read.", Detail = detail },
        }).ConfigureAwait(false);
    }
}
