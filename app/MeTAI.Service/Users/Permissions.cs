using System.Collections.Frozen;

namespace MeTAI.Service.Users;

/// <summary>
/// The permissions the endpoints ask for (each an authorization policy of the same name) and the roles that hold
/// them. One table, so a role's reach is read in one place (docs/service.md prints it).
/// </summary>
public static class Permissions
{
    /// <summary>See plans: list, status, goals, DVH.</summary>
    public const string PlansRead = "plans.read";

    /// <summary>Submit, cancel and delete plans.</summary>
    public const string PlansWrite = "plans.write";

    /// <summary>Approve (or review) a plan.</summary>
    public const string PlansApprove = "plans.approve";

    /// <summary>Request (and cancel) a plan's second check: the Monte Carlo recompute and gamma the approval asks for.</summary>
    public const string PlansCheck = "plans.check";

    /// <summary>Patient data: CT slices, DICOM and report downloads, upload details.</summary>
    public const string PhiRead = "phi.read";

    /// <summary>Upload and delete patient data.</summary>
    public const string PhiWrite = "phi.write";

    /// <summary>Store an upload without de-identifying it.</summary>
    public const string PhiIdentified = "phi.identified";

    /// <summary>The controller's state and event stream.</summary>
    public const string ControllerRead = "controller.read";

    /// <summary>Teleoperate the arm from the browser console: a short-lived master credential for the controller's broker.</summary>
    public const string Teleoperate = "teleop.operate";

    /// <summary>See rehearsals: list, status, their files and 3D scene (the scene shows the patient's anatomy).</summary>
    public const string RehearsalsRead = "rehearsals.read";

    /// <summary>Start, cancel and delete rehearsals.</summary>
    public const string RehearsalsWrite = "rehearsals.write";

    /// <summary>Training mode on the simulated arm: run attempts at the training tasks and see one's own scores.</summary>
    public const string TrainingAttempt = "training.attempt";

    /// <summary>See any user's training scores (<c>?user=</c> on <c>/api/training/scores</c>): for whoever instructs the trainees.</summary>
    public const string TrainingReview = "training.review";

    /// <summary>Users, tokens and the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Roles holding each permission.</summary>
    public static readonly FrozenDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>(StringComparer.Ordinal)
    {
        [PlansRead] = [Role.Dosimetrist, Role.Physicist, Role.Physician, Role.Surgeon],
        [PlansWrite] = [Role.Dosimetrist, Role.Physicist],
        [PlansApprove] = [Role.Physicist, Role.Physician],
        [PlansCheck] = [Role.Dosimetrist, Role.Physicist, Role.Physician],
        [PhiRead] = [Role.Dosimetrist, Role.Physicist, Role.Physician, Role.Surgeon],
        [PhiWrite] = [Role.Dosimetrist, Role.Physicist],
        [PhiIdentified] = [Role.Physicist],
        [ControllerRead] = [Role.Surgeon, Role.Engineer, Role.Physicist, Role.Admin],
        [Teleoperate] = [Role.Surgeon],
        [RehearsalsRead] = [Role.Surgeon, Role.Physician, Role.Physicist],
        [RehearsalsWrite] = [Role.Surgeon],
        [TrainingAttempt] = [Role.Surgeon],
        [TrainingReview] = [Role.Admin],
        [Admin] = [Role.Admin],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The permissions <paramref name="role"/> holds.</summary>
    public static IReadOnlyList<string> Of(Role role) => [.. Roles.Where(p => p.Value.Contains(role)).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Role name as written in the API and the CLI (lower case).</summary>
    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>Parses a role name; throws naming the roles when it is none of them.</summary>
    public static Role ParseRole(string text)
    {
        if (Enum.TryParse(text, ignoreCase: true, out Role role) && Enum.IsDefined(role) && !int.TryParse(text, out _))
        {
            return role;
        }

        throw new ArgumentException($"Unknown role '{text}'. Roles: {string.Join(", ", Enum.GetValues<Role>().Select(Name))}.");
    }
}
