namespace MeTAI.Robotics.Safety;

/// <summary>The three risk-control options of ISO 14971:2019 clause 7.1, in their order of priority.</summary>
public enum RiskControlKind
{
    /// <summary>Inherent safety by design and manufacture (7.1 a).</summary>
    InherentDesign,

    /// <summary>Protective measures in the device itself or in its manufacture (7.1 b): interlocks, watchdogs, hardware cut-outs.</summary>
    ProtectiveMeasure,

    /// <summary>Information for safety and, where appropriate, training of users (7.1 c).</summary>
    InformationForSafety,
}
