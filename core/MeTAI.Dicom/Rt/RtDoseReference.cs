using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt;

/// <summary>A prescription item (an item of Dose Reference Sequence, 300A,0010), doses in Gy.</summary>
public sealed record RtDoseReference
{
    /// <summary>Dose Reference Number (300A,0012).</summary>
    public int Number { get; init; } = 1;

    /// <summary>Dose Reference UID (300A,0013), or null.</summary>
    public string? Uid { get; init; }

    /// <summary>Dose Reference Structure Type (300A,0014): POINT, VOLUME, COORDINATES or SITE.</summary>
    public string StructureType { get; init; } = "SITE";

    /// <summary>Dose Reference Description (300A,0016), or empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Dose Reference Type (300A,0020): TARGET or ORGAN_AT_RISK.</summary>
    public string Type { get; init; } = "TARGET";

    /// <summary>Referenced ROI Number (3006,0084) for VOLUME references, or null.</summary>
    public int? ReferencedRoiNumber { get; init; }

    /// <summary>Dose Reference Point Coordinates (300A,0018) in LPS mm for COORDINATES references, or null.</summary>
    public Vec3? PointLps { get; init; }

    /// <summary>Delivery Maximum Dose (300A,0023) in Gy, or null.</summary>
    public double? DeliveryMaximumDoseGy { get; init; }

    /// <summary>Target Prescription Dose (300A,0026) in Gy, or null.</summary>
    public double? TargetPrescriptionDoseGy { get; init; }

    /// <summary>Organ at Risk Maximum Dose (300A,002C) in Gy, or null.</summary>
    public double? OrganAtRiskMaximumDoseGy { get; init; }
}
