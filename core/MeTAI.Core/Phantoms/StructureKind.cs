namespace MeTAI.Core.Phantoms;

/// <summary>What a phantom structure is for, as planning and rehearsal treat it (close to DICOM's RT ROI Interpreted Type).</summary>
public enum StructureKind
{
    /// <summary>The body outline (DICOM EXTERNAL); every phantom has exactly one.</summary>
    External,

    /// <summary>Planning target volume.</summary>
    Ptv,

    /// <summary>Clinical target volume.</summary>
    Ctv,

    /// <summary>Gross tumour volume (a visible tumour, also the target of a needle).</summary>
    Gtv,

    /// <summary>An organ at risk.</summary>
    Organ,

    /// <summary>A region that dose or instruments must avoid (DICOM AVOIDANCE), such as TG-119's core.</summary>
    Avoidance,

    /// <summary>Bone (ribs, femoral heads).</summary>
    Bone,

    /// <summary>A blood vessel an instrument must not cross.</summary>
    Vessel,

    /// <summary>A material insert of a test phantom, such as a lung or bone slab.</summary>
    Insert,
}
