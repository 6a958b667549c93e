namespace MeTAI.Dicom.Network;

/// <summary>Status (0000,0900) values of DIMSE responses (PS3.7 Annex C, PS3.4 Annexes B and C) and what they mean.</summary>
public static class DimseStatus
{
    /// <summary>Success.</summary>
    public const ushort Success = 0x0000;

    /// <summary>Pending: matches or sub-operations are continuing.</summary>
    public const ushort Pending = 0xFF00;

    /// <summary>Pending, with optional keys not supported (C-FIND).</summary>
    public const ushort PendingWarning = 0xFF01;

    /// <summary>Cancelled after a C-CANCEL.</summary>
    public const ushort Cancel = 0xFE00;

    /// <summary>Warning: sub-operations complete, one or more failures or warnings (C-MOVE, C-GET).</summary>
    public const ushort SubOperationsWarning = 0xB000;

    /// <summary>Refused: SOP class not supported.</summary>
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>Refused: not authorized.</summary>
    public const ushort NotAuthorized = 0x0124;

    /// <summary>Processing failure.</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>Unrecognized operation.</summary>
    public const ushort UnrecognizedOperation = 0x0211;

    /// <summary>Out of resources (C-STORE; 0xA7xx).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>Data set does not match SOP class (C-STORE; 0xA9xx).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Cannot understand (C-STORE; 0xCxxx).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>Move destination unknown (C-MOVE).</summary>
    public const ushort MoveDestinationUnknown = 0xA801;

    /// <summary>True for the two pending statuses.</summary>
    public static bool IsPending(ushort status) => status is Pending or PendingWarning;

    /// <summary>True for success and the warning statuses (0x0001, 0xBxxx, 0x0107, 0x0116): the operation was done.</summary>
    public static bool IsSuccessOrWarning(ushort status) => status == Success || IsWarning(status);

    /// <summary>True for the warning statuses.</summary>
    public static bool IsWarning(ushort status) => status is 0x0001 or 0x0107 or 0x0116 || (status & 0xF000) == 0xB000;

    /// <summary>The status in words, e.g. "0xA700 (failure: out of resources)".</summary>
    public static string Describe(ushort status)
    {
        string meaning = status switch
        {
            Success => "success",
            Pending => "pending",
            PendingWarning => "pending, optional keys not supported",
            Cancel => "cancelled",
            0x0001 => "warning: requested optional attributes are not supported",
            0x0107 => "warning: attribute list error",
            0x0116 => "warning: attribute value out of range",
            0xB000 => "warning: sub-operations complete, one or more failures or warnings",
            0xB006 => "warning: elements discarded",
            0xB007 => "warning: data set does not match SOP class",
            SopClassNotSupported => "refused: SOP class not supported",
            NotAuthorized => "refused: not authorized",
            ProcessingFailure => "failure: processing failure",
            UnrecognizedOperation => "failure: unrecognized operation",
            0x0117 => "failure: invalid object instance",
            0x0210 => "failure: duplicate invocation",
            0x0212 => "failure: mistyped argument",
            MoveDestinationUnknown => "refused: move destination unknown",
            0xA701 => "refused: out of resources, unable to calculate the number of matches",
            0xA702 => "refused: out of resources, unable to perform sub-operations",
            0xA900 => "failure: data set does not match SOP class",
            0xC000 => "failure: cannot understand",
            _ when (status & 0xFF00) == 0xA700 => "refused: out of resources",
            _ when (status & 0xFF00) == 0xA900 => "failure: data set does not match SOP class or identifier",
            _ when (status & 0xF000) == 0xC000 => "failure: unable to process",
            _ when (status & 0xF000) == 0xB000 => "warning",
            _ => "failure",
        };
        return $"0x{status:X4} ({meaning})";
    }
}
