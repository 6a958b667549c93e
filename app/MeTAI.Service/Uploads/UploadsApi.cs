using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// <c>POST /api/uploads[?deidentify=true&amp;name=LABEL]</c> with a zip body (<c>Content-Type: application/zip</c>)
/// → 201 with the case summary, or problem details naming what is wrong; <c>GET /api/uploads</c> and
/// <c>GET /api/uploads/{id}</c>.
/// </summary>
public static class UploadsApi
{
    /// <summary>Maps the upload endpoints.</summary>
    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder uploads = app.MapGroup("/api/uploads").WithTags("Uploads");
        uploads.MapPost("/", ReceiveAsync).RequireAuthorization(Users.Permissions.PhiWrite);
        uploads.MapGet("/", (UploadCatalog catalog) => TypedResults.Ok(catalog.List())).RequireAuthorization(Users.Permissions.PhiRead);
        uploads.MapGet("/{id}", Results<Ok<UploadSummary>, ProblemHttpResult> (string id, UploadCatalog catalog) =>
            catalog.Get(id) is { } u ? TypedResults.Ok(u) : TypedResults.Problem($"No upload '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Upload not found"))
            .RequireAuthorization(Users.Permissions.PhiRead);
        return app;
    }

    private static async Task<Results<Created<UploadSummary>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, UploadIntake intake, IOptions<Hosting.ServiceOptions> options, Audit.PhiAudit audit, bool? deidentify, string? name, CancellationToken ct)
    {
        HttpRequest request = context.Request;
        string contentType = request.ContentType ?? string.Empty;
        if (!contentType.StartsWith("application/zip", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/x-zip-compressed", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"Send the zip as the request body with Content-Type: application/zip (got '{contentType}').",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }

        // Kestrel's default body limit (30 MB) is below ours: lift it for this request; UploadIntake counts the bytes itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxUploadBytes + 1;
        }

        try
        {
            UploadSummary summary = await intake.ReceiveAsync(request.Body, request.ContentLength, name, deidentify ?? false, ct).ConfigureAwait(false);
            audit.Record(context, "uploaded", ("upload", summary.Id), ("name", summary.Name), ("deidentified", summary.Deidentified ? "true" : "false"));
            return TypedResults.Created($"/api/uploads/{summary.Id}", summary);
        }
        catch (UploadRejectedException ex)
        {
            var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (ex.Entry is not null)
            {
                extensions["entry"] = ex.Entry;
            }

            if (ex.Tag is not null)
            {
                extensions["tag"] = ex.Tag;
            }

            if (ex.Offset is not null)
            {
                extensions["offset"] = ex.Offset;
            }

            if (ex.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            return TypedResults.Problem(ex.Message, statusCode: ex.Status, title: ex.Title, extensions: extensions);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem($"The upload is larger than the limit of {options.Value.MaxUploadBytes:N0} bytes (Service:MaxUploadBytes).",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");
        }
    }
}
