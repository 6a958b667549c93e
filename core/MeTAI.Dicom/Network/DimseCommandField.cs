namespace MeTAI.Dicom.Network;

/// <summary>Command Field (0000,0100) values of the DIMSE-C services (PS3.7 §9.3 and §E.1).</summary>
public enum DimseCommandField : ushort
{
    /// <summary>C-STORE-RQ.</summary>
    CStoreRequest = 0x0001,

    /// <summary>C-STORE-RSP.</summary>
    CStoreResponse = 0x8001,

    /// <summary>C-GET-RQ.</summary>
    CGetRequest = 0x0010,

    /// <summary>C-GET-RSP.</summary>
    CGetResponse = 0x8010,

    /// <summary>C-FIND-RQ.</summary>
    CFindRequest = 0x0020,

    /// <summary>C-FIND-RSP.</summary>
    CFindResponse = 0x8020,

    /// <summary>C-MOVE-RQ.</summary>
    CMoveRequest = 0x0021,

    /// <summary>C-MOVE-RSP.</summary>
    CMoveResponse = 0x8021,

    /// <summary>C-ECHO-RQ.</summary>
    CEchoRequest = 0x0030,

    /// <summary>C-ECHO-RSP.</summary>
    CEchoResponse = 0x8030,

    /// <summary>C-CANCEL-RQ (of a C-FIND, C-MOVE or C-GET in progress).</summary>
    CCancelRequest = 0x0FFF,
}
