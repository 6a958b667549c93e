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
        uploads.MapDelete("/{id}", Results<Ok<UploadDeletion>, ProblemHttpResult> (string id, UploadCatalog catalog, Audit.PhiAudit audit, HttpContext http) =>
        {
            (UploadDeletion? done, string? problem, int status) = catalog.Delete(id);
            if (done is null)
            {
                return TypedResults.Problem(problem, statusCode: status, title: status == StatusCodes.Status404NotFound ? "Upload not found" : "Upload in use");
            }

            audit.Record(http, "deleted", ("upload", id), ("plans", string.Join(' ', done.Plans)));
            return TypedResults.Ok(done);
        }).RequireAuthorization(Users.Permissions.PhiWrite);
        uploads.MapGet("/{id}", Results<Ok<UploadSummary>, ProblemHttpResult> (string id, UploadCatalog catalog) =>
            catalog.Get(id) is { } u ? TypedResults.Ok(u) : TypedResults.Problem($"No upload '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Upload not found"))
            .RequireAuthorization(Users.Permissions.PhiRead);
        return app;
    }

    private static async Task<Results<Created<UploadSummary>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, UploadIntake intake, IOptions<Hosting.ServiceOptions> options, Audit.PhiAudit audit, bool? deidentify, string? name, CancellationToken ct)
    {
        HttpRequest request = context.Request;
        // De-identification is the default; storing identified data is for roles that hold phi.identified.
        bool deid = deidentify ?? true;
        if (!deid && !context.User.IsInRole(Users.Permissions.Name(Users.Role.Physicist)))
        {
            return TypedResults.Problem($"Storing an upload without de-identification (deidentify=false) needs {Users.Permissions.PhiIdentified}, which the roles {string.Join(", ", Users.Permissions.Roles[Users.Permissions.PhiIdentified].Select(Users.Permissions.Name))} hold.",
                statusCode: StatusCodes.Status403Forbidden, title: "Not permitted for your role");
        }

        // Per-user daily quota, counted from the audit log's "uploaded" records of the last 24 hours.
        int perDay = options.Value.MaxUploadsPerUserPerDay;
        string user = context.User.Identity?.Name ?? "";
        if (perDay > 0 && audit.Query(user, "uploaded", null, perDay + 1)
                .Count(r => DateTime.Parse(r.GetProperty("utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind) > DateTime.UtcNow.AddDays(-1)) >= perDay)
        {
            return TypedResults.Problem($"{user} has stored {perDay} uploads in the last 24 hours (Service:MaxUploadsPerUserPerDay).",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Upload quota reached");
        }

        if (UploadLabel.Problem(name) is { } labelProblem)
        {
            return TypedResults.Problem(labelProblem, statusCode: StatusCodes.Status400BadRequest, title: "Label not valid");
        }

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
            UploadSummary summary = await intake.ReceiveAsync(request.Body, request.ContentLength, name, deid, ct).ConfigureAwait(false);
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
