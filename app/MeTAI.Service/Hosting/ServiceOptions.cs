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

    /// <summary>A file with one API key per line (blank lines and lines starting with # are skipped).</summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Largest accepted upload (the zip as sent), bytes.</summary>
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Most entries in an uploaded zip.</summary>
    public int MaxUploadEntries { get; set; } = 4000;

    /// <summary>Most bytes an uploaded zip may expand to (zip-bomb guard), counted while extracting.</summary>
    public long MaxUploadUncompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;

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

    /// <summary>De-identify what arrives by DICOM (PS3.15 basic profile) before it is stored, as <c>?deidentify=true</c> does for a zip.</summary>
    public bool DicomDeidentify { get; set; }

    /// <summary>The data directory as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}
