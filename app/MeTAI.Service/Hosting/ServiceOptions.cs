namespace MeTAI.Service.Hosting;

/// <summary>
/// The <c>Service</c> configuration section (appsettings.json, environment variables <c>Service__DataDirectory</c>, …,
/// or the command line <c>--Service:DataDirectory=…</c>). API keys also come from <c>METAI_API_KEYS</c>.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Service";

    /// <summary>Where the job database, uploads and plan outputs live (relative paths: from the current directory).</summary>
    public string DataDirectory { get; set; } = Path.Combine("out", "service-data");

    /// <summary>API keys accepted in <c>X-Api-Key</c>. None built in: with none configured every API call answers 401.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Role of requests made with a shared key (they act as the user <c>api-key</c>); personal tokens are preferred.</summary>
    public string ApiKeysRole { get; set; } = "dosimetrist";

    /// <summary>Hours a web session lasts without use (sliding).</summary>
    public double SessionHours { get; set; } = 8;

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>API requests allowed per user (or client address) per minute.</summary>
    public int ApiRequestsPerMinute { get; set; } = 600;

    /// <summary>A file with one API key per line (blank lines and lines starting with # are skipped).</summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Largest accepted upload (the zip as sent), bytes.</summary>
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Most entries in an uploaded zip.</summary>
    public int MaxUploadEntries { get; set; } = 4000;

    /// <summary>Most bytes an uploaded zip may expand to (zip-bomb guard), counted while extracting.</summary>
    public long MaxUploadUncompressedBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most bytes one zip entry may expand to (a CT slice is about 0.5 MB): larger entries are refused while inflating, never parsed.</summary>
    public long MaxUploadEntryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Uploads checked at the same time; another one is answered 503 with Retry-After.</summary>
    public int MaxConcurrentUploads { get; set; } = 2;

    /// <summary>Memory the DICOM parsing of all uploads together may hold (each reserves twice its inflated size).</summary>
    public long MaxUploadMemoryBytes { get; set; } = 384L * 1024 * 1024;

    /// <summary>Days an upload (and the plans made on it) is kept before it is purged; 0 keeps them.</summary>
    public int RetentionDays { get; set; }

    /// <summary>Plans one user may have queued or running at once (0: no limit).</summary>
    public int MaxActivePlansPerUser { get; set; } = 5;

    /// <summary>Uploads one user may store per day (0: no limit).</summary>
    public int MaxUploadsPerUserPerDay { get; set; } = 50;

    /// <summary>Plans run at the same time (each uses every core it can get).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>Where plans run their Monte Carlo: <c>auto</c> (CUDA when present, else the CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// TCP port of the service's DICOM storage SCP (C-ECHO, C-STORE of CT, MR, PET, RTSTRUCT, RTPLAN, RTDOSE), whose
    /// associations each become an upload as a zip would; 0 (the default): no DICOM listener.
    /// </summary>
    public int DicomPort { get; set; }

    /// <summary>The SCP's AE title; associations calling another title are rejected.</summary>
    public string DicomAeTitle { get; set; } = "METAI";

    /// <summary>Calling AE titles the SCP accepts; empty (the default): any. Set it: DICOM has no other authentication.</summary>
    public IList<string> DicomAllowedCallingAeTitles { get; } = [];

    /// <summary>The address the SCP listens on (default every interface, so that scanners and PACS can reach it).</summary>
    public string DicomBindAddress { get; set; } = "0.0.0.0";

    /// <summary>De-identify what arrives by DICOM (PS3.15 basic profile) before it is stored, as a zip upload is by default (true).</summary>
    public bool DicomDeidentify { get; set; } = true;

    /// <summary>The data directory as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}
