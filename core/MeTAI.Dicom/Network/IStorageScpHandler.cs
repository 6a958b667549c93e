namespace MeTAI.Dicom.Network;

/// <summary>
/// What a <see cref="StorageScp"/> tells its owner, and where it stores: the folder for each accepted association, then
/// each object, refusal and the end of the association. Calls for one association come from one task in order;
/// calls for different associations may overlap.
/// </summary>
public interface IStorageScpHandler
{
    /// <summary>Where the objects of <paramref name="association"/> go.</summary>
    DicomStorageFolder FolderFor(AssociationInfo association);

    /// <summary>An association request was refused (or failed before it was established).</summary>
    void AssociationRefused(string callingAeTitle, string remoteAddress, string reason)
    {
    }

    /// <summary>An association was accepted.</summary>
    void AssociationAccepted(AssociationInfo association)
    {
    }

    /// <summary>A C-ECHO was answered.</summary>
    void Echoed(AssociationInfo association)
    {
    }

    /// <summary>An object was stored whole.</summary>
    void ObjectStored(AssociationInfo association, ReceivedObject stored)
    {
    }

    /// <summary>A C-STORE was answered with a failure status (nothing kept).</summary>
    void ObjectRefused(AssociationInfo association, string sopInstanceUid, ushort status, string reason)
    {
    }

    /// <summary>The association is over.</summary>
    void AssociationEnded(AssociationInfo association, AssociationOutcome outcome)
    {
    }
}
