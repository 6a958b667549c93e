using System.Runtime.InteropServices;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// A codec's native library (CharLS, OpenJPEG), loaded on first use by its shared-object names. When it cannot be loaded
/// every decode fails with a <see cref="DicomFormatException"/> that names the library, the Debian package that installs
/// it and the loader's reason — never a <see cref="DllNotFoundException"/> from deep inside a reader.
/// </summary>
internal sealed class NativeCodecLibrary
{
    private readonly Lazy<(IntPtr Handle, string? Error)> _handle;

    /// <summary>A library tried under <paramref name="fileNames"/> in order (the first is the one named in errors).</summary>
    public NativeCodecLibrary(string displayName, string debianPackage, params string[] fileNames)
    {
        DisplayName = displayName;
        DebianPackage = debianPackage;
        FileNames = fileNames;
        _handle = new Lazy<(IntPtr, string?)>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the library is, e.g. "OpenJPEG".</summary>
    public string DisplayName { get; }

    /// <summary>The Debian package that installs it, e.g. "libopenjp2-7".</summary>
    public string DebianPackage { get; }

    /// <summary>The file names tried, most specific first.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>True when the library loads.</summary>
    public bool IsAvailable => _handle.Value.Error is null;

    /// <summary>The address of an exported function.</summary>
    /// <exception cref="DicomFormatException">When the library cannot be loaded or lacks the function.</exception>
    public IntPtr Function(string name, DicomTransferSyntax syntax)
    {
        (IntPtr handle, string? error) = _handle.Value;
        if (error is not null)
        {
            throw new DicomFormatException($"cannot decode {syntax.Name} ({syntax.Uid}) pixel data: {error}", -1, DicomTags.PixelData);
        }

        if (!NativeLibrary.TryGetExport(handle, name, out IntPtr address))
        {
            throw new DicomFormatException($"cannot decode {syntax.Name} ({syntax.Uid}) pixel data: {DisplayName} ({FileNames[0]}) has no function {name}; install the Debian package {DebianPackage}", -1, DicomTags.PixelData);
        }

        return address;
    }

    private (IntPtr, string?) Load()
    {
        string? reason = null;
        foreach (string name in FileNames)
        {
            try
            {
                return (NativeLibrary.Load(name), null);
            }
            catch (DllNotFoundException ex)
            {
                reason ??= ex.Message;
            }
            catch (BadImageFormatException ex)
            {
                reason ??= ex.Message;
            }
        }

        return (IntPtr.Zero, $"the {DisplayName} library {FileNames[0]} could not be loaded (install the Debian package {DebianPackage}): {reason}");
    }
}
