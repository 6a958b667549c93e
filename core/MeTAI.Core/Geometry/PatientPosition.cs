namespace MeTAI.Core.Geometry;

/// <summary>
/// How the patient lies on the couch, as DICOM Patient Position (0018,5100) gives it (PS3.3 C.7.3.1.1.2): which end goes
/// into the gantry first and which side faces up. It fixes how the patient's LPS axes sit in the room (IEC 61217), so
/// the same gantry angle enters through different anatomy: see <see cref="PatientPositions"/>.
/// </summary>
public enum PatientPosition
{
    /// <summary>HFS: head first, supine (face up).</summary>
    HeadFirstSupine,

    /// <summary>HFP: head first, prone (face down).</summary>
    HeadFirstProne,

    /// <summary>FFS: feet first, supine.</summary>
    FeetFirstSupine,

    /// <summary>FFP: feet first, prone.</summary>
    FeetFirstProne,

    /// <summary>HFDR: head first, decubitus right (lying on the right side).</summary>
    HeadFirstDecubitusRight,

    /// <summary>HFDL: head first, decubitus left (lying on the left side).</summary>
    HeadFirstDecubitusLeft,

    /// <summary>FFDR: feet first, decubitus right.</summary>
    FeetFirstDecubitusRight,

    /// <summary>FFDL: feet first, decubitus left.</summary>
    FeetFirstDecubitusLeft,
}
