using System.Security.Claims;
using System.Text;
using MeTAI.Service.Audit;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Training;

/// <summary>
/// <c>/api/training</c>, the surgeon's training mode on the simulated arm: the tasks, starting an attempt (one at a time
/// per service), finishing it (scored and stored; the task's time limit finishes it too), an attempt's status, and the
/// scores per user as JSON and CSV. Attempts need <see cref="Permissions.TrainingAttempt"/> (surgeons) and the service
/// in sim mode (otherwise 503 with the reason); a user's scores are theirs to read, anyone's with
/// <see cref="Permissions.TrainingReview"/> (<c>?user=</c>).
/// </summary>
public static class TrainingApi
{
    /// <summary>Maps the training endpoints.</summary>
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder api = app.MapGroup("/api/training").WithTags("Training");
        api.MapGet("/tasks", Results<Ok<TrainingTaskView[]>, ProblemHttpResult> (TrainingRecorder recorder) =>
            recorder.Unavailable() is { } why ? Unavailable(why) : TypedResults.Ok(recorder.Catalog.Tasks.Select(TrainingTaskView.Of).ToArray()))
            .RequireAuthorization(Permissions.TrainingAttempt);
        api.MapPost("/attempts", Start).RequireAuthorization(Permissions.TrainingAttempt);
        api.MapPost("/attempts/{id}/finish", Finish).RequireAuthorization(Permissions.TrainingAttempt);

        // The caller's running attempt (a reloaded page finds it again), or 204.
        api.MapGet("/attempts/current", Results<Ok<TrainingAttemptView>, NoContent> (TrainingRecorder recorder, HttpContext http) =>
            recorder.Current() is { } running && running.User == UserOf(http) ? TypedResults.Ok(running) : TypedResults.NoContent())
            .RequireAuthorization(Permissions.TrainingAttempt);
        api.MapGet("/attempts/{id}", Results<Ok<TrainingAttemptView>, ProblemHttpResult> (string id, TrainingRecorder recorder, TrainingScoreStore store, HttpContext http) =>
        {
            string user = UserOf(http);
            TrainingAttemptView? view = recorder.Find(id);
            if (view is null && store.Of(user).FirstOrDefault(a => a.Id == id) is { } stored)
            {
                view = TrainingAttemptView.Of(stored, recorder.Catalog.Find(stored.Task));
            }

            return view is not null && (view.User == user || Holds(http.User, Permissions.TrainingReview)) ? TypedResults.Ok(view) : NotFound(id);
        }).RequireAuthorization(Permissions.TrainingAttempt);

        // Any signed-in user reaches these; the handler decides whose scores they may read.
        api.MapGet("/scores", Results<Ok<TrainingAttemptView[]>, ProblemHttpResult> (string? user, TrainingRecorder recorder, TrainingScoreStore store, HttpContext http) =>
        {
            if (WhoseScores(http, user, out string whose) is { } refused)
            {
                return refused;
            }

            return TypedResults.Ok(store.Of(whose).Select(a => TrainingAttemptView.Of(a, recorder.Catalog.Find(a.Task))).ToArray());
        });
        api.MapGet("/scores.csv", Results<FileContentHttpResult, ProblemHttpResult> (string? user, TrainingScoreStore store, HttpContext http) =>
        {
            if (WhoseScores(http, user, out string whose) is { } refused)
            {
                return refused;
            }

            byte[] csv = Encoding.UTF8.GetBytes(TrainingCsv.Write(store.Of(whose)));
            return TypedResults.File(csv, "text/csv; charset=utf-8", $"training-{whose}.csv");
        });
        return app;
    }

    private static Results<Ok<TrainingAttemptView>, ValidationProblem, ProblemHttpResult> Start(TrainingAttemptRequest? body, TrainingRecorder recorder,
        PhiAudit audit, HttpContext http)
    {
        if (recorder.Unavailable() is { } why)
        {
            return Unavailable(why);
        }

        TrainingCatalog catalog = recorder.Catalog;
        string tasks = string.Join(", ", catalog.Tasks.Select(t => t.Id));
        string? taskId = body?.Task;
        if (string.IsNullOrWhiteSpace(taskId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["task"] = [$"Give task: one of {tasks}."] },
                title: "The training attempt request is not valid.");
        }

        if (catalog.Find(taskId) is not { } task)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["task"] = [$"Unknown training task '{taskId}'. Tasks: {tasks}."] },
                title: "The training attempt request is not valid.");
        }

        (TrainingAttemptView? attempt, string? conflict) = recorder.Start(task, UserOf(http));
        if (attempt is null)
        {
            return TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict, title: "A training attempt is already running");
        }

        audit.Record(http, "trainingStarted", ("attempt", attempt.Id), ("task", attempt.Task));
        return TypedResults.Ok(attempt);
    }

    private static Results<Ok<TrainingAttemptView>, ProblemHttpResult> Finish(string id, TrainingRecorder recorder, PhiAudit audit, HttpContext http)
    {
        string user = UserOf(http);
        TrainingAttemptView? known = recorder.Find(id);
        if (known is null || (known.User != user && !Holds(http.User, Permissions.TrainingReview)))
        {
            return NotFound(id);
        }

        (TrainingAttemptRecord? attempt, bool finishedNow) = recorder.Finish(id);
        if (attempt is null)
        {
            return NotFound(id);
        }

        if (finishedNow)
        {
            audit.Record(http, "trainingFinished", ("attempt", attempt.Id), ("task", attempt.Task), ("account", attempt.User),
                ("endedBy", attempt.EndedBy), ("score", attempt.Score.Score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return TypedResults.Ok(TrainingAttemptView.Of(attempt, recorder.Catalog.Find(attempt.Task)));
    }

    // Own scores need training.attempt (or training.review); another user's need training.review.
    private static ProblemHttpResult? WhoseScores(HttpContext http, string? requested, out string whose)
    {
        string self = UserOf(http);
        whose = string.IsNullOrWhiteSpace(requested) ? self : requested.Trim();
        bool review = Holds(http.User, Permissions.TrainingReview);
        if (whose == self ? review || Holds(http.User, Permissions.TrainingAttempt) : review)
        {
            return null;
        }

        string permission = whose == self ? Permissions.TrainingAttempt : Permissions.TrainingReview;
        string roles = string.Join(", ", Permissions.Roles[permission].Select(Permissions.Name));
        return TypedResults.Problem($"{self} ({http.User.FindFirstValue(ClaimTypes.Role) ?? "none"}) may not read {(whose == self ? "training scores" : whose + "'s training scores")}; "
            + $"it needs {permission}, which the roles {roles} hold.", statusCode: StatusCodes.Status403Forbidden, title: "Not permitted for your role");
    }

    /// <summary>True when <paramref name="user"/>'s role holds <paramref name="permission"/> (<see cref="Permissions.Roles"/>).</summary>
    private static bool Holds(ClaimsPrincipal user, string permission) =>
        Permissions.Roles.TryGetValue(permission, out Role[]? roles) && roles.Any(r => user.IsInRole(Permissions.Name(r)));

    private static string UserOf(HttpContext http) => http.User.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a user name");

    private static ProblemHttpResult Unavailable(string why) =>
        TypedResults.Problem(why, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Training mode unavailable");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No training attempt '{id}' of yours.", statusCode: StatusCodes.Status404NotFound, title: "Training attempt not found");
}
