using System.CommandLine;
using MeTAI.Dicom.Cases;

namespace MeTAI.Cli.Commands;

/// <summary>
/// The options that say which series of a DICOM export to use and how strict to be, shared by <c>plan</c>,
/// <c>dose --ct</c> and <c>rehearse</c>: <c>--ct-series UID</c>, <c>--structure-set UID</c>, <c>--allow-inconsistent</c>
/// (<see cref="CaseLoadOptions"/>).
/// </summary>
internal sealed class CaseOptions
{
    private readonly Option<string?> _ctSeries = new("--ct-series") { Description = "DICOM input with several CT series: the Series Instance UID of the one to use" };
    private readonly Option<string?> _structureSet = new("--structure-set") { Description = "DICOM input with several structure sets: the SOP Instance UID (or Series Instance UID) of the one to use" };
    private readonly Option<bool> _allowInconsistent = new("--allow-inconsistent") { Description = "Use CT, RTSTRUCT, RTPLAN of different patients, studies or frames of reference, or with broken references (phantom work; each mismatch is a warning)" };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_ctSeries);
        command.Options.Add(_structureSet);
        command.Options.Add(_allowInconsistent);
    }

    /// <summary>The loader options the command line gives.</summary>
    public CaseLoadOptions Options(ParseResult parse) => new()
    {
        CtSeriesUid = parse.GetValue(_ctSeries),
        StructureSetUid = parse.GetValue(_structureSet),
        AllowInconsistent = parse.GetValue(_allowInconsistent),
    };
}
