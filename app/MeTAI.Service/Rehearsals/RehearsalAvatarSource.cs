using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Planner.Beams;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The one place where a rehearsal job's case becomes an avatar. A built-in phantom with an avatar config
/// (<c>configs/avatars/NAME.json</c>; today <c>liver-needle</c>) is built as <c>metai rehearse --case NAME</c> builds it.
/// An uploaded case (CT + RTSTRUCT) is refused with <see cref="UploadRefusal"/> until the rehearsal library builds the
/// avatar from a patient's CT and structure set (issue 20, part 1: <c>rehearse --case DIR</c>); that entry point is to be
/// called from <see cref="FromUpload"/> and <see cref="CanRehearseUploads"/> turned to true — nothing else in the service
/// changes.
/// </summary>
public static class RehearsalAvatarSource
{
    /// <summary>Whether uploaded cases can be rehearsed (false until the avatar from CT + RTSTRUCT is connected in <see cref="FromUpload"/>).</summary>
    public static bool CanRehearseUploads => false;

    /// <summary>Why an uploaded case is refused while <see cref="CanRehearseUploads"/> is false.</summary>
    public const string UploadRefusal =
        "Rehearsal on an uploaded case is not available in this build: the avatar is built from a built-in phantom's analytic " +
        "structures only, not yet from a patient's CT and RTSTRUCT (issue 20, part 1, 'rehearse --case DIR'). Rehearse a built-in phantom (liver-needle).";

    /// <summary>Built-in phantoms that have an avatar config, so can be rehearsed.</summary>
    public static IReadOnlyList<string> Phantoms() =>
        [.. PhantomLibrary.Names.Where(n => File.Exists(ConfigFiles.PathOf("avatars", n + ".json")))];

    /// <summary>The avatar config of built-in phantom <paramref name="phantom"/>.</summary>
    public static string ConfigPath(string phantom) =>
        ConfigFiles.Existing("avatar config for " + phantom, "avatars", phantom + ".json");

    /// <summary>Loads the job's case and builds its avatar.</summary>
    public static RehearsalInputs Build(PlanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RehearsalSettings settings = request.Rehearsal ?? throw new ArgumentException("The job is not a rehearsal.", nameof(request));
        if (request.Case is not { } phantom)
        {
            return FromUpload(request, settings);
        }

        PatientCase patient = CaseLoader.Load(phantom, settings.VoxelMm);
        AvatarConfig config = AvatarConfigLoader.Load(ConfigPath(phantom));
        (PatientPosition position, _) = CtPatientPosition.Read(patient.Ct, $"case '{patient.Name}'");
        PatientAvatar avatar = AvatarBuilder.FromMasks(patient.Name, patient.Masks, patient.LandmarksLps, config, position, settings.ResolutionMm);
        return new RehearsalInputs(patient, avatar, position);
    }

    // Connect here: build the avatar from request.CaseDirectory (ct/ + rtstruct.dcm, with request.CtSeriesUid and
    // request.StructureSetUid choosing within the upload) through the rehearsal library's case entry point.
    private static RehearsalInputs FromUpload(PlanJobRequest request, RehearsalSettings settings)
    {
        _ = settings;
        throw new NotSupportedException($"{UploadRefusal} (upload {request.UploadId})");
    }
}
