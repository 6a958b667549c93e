#!/usr/bin/python3
"""Writes pydicom's rtplan.dcm with one edit, the way another treatment planning system would encode it.

usage: rtplan_edit.py EDIT OUT
EDIT: one of the names in EDITS below (printed with --list).
"""
import sys

import pydicom
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence


def item(**values):
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


def wedge(kind, wedge_id, angle, positions):
    def edit(ds, beam):
        beam.NumberOfWedges = 1
        beam.WedgeSequence = Sequence([item(WedgeNumber=1, WedgeType=kind, WedgeID=wedge_id, WedgeAngle=angle,
                                            WedgeFactor=0.7, WedgeOrientation=0)])
        for cp, position in zip(beam.ControlPointSequence, positions):
            cp.WedgePositionSequence = Sequence([item(ReferencedWedgeNumber=1, WedgePosition=position)])
    return edit


def block(ds, beam):
    beam.NumberOfBlocks = 1
    beam.BlockSequence = Sequence([item(BlockNumber=1, BlockType="SHIELDING", BlockName="LUNG", BlockTrayID="TRAY1",
                                        BlockDivergence="PRESENT", MaterialID="CERROBEND", BlockThickness=75,
                                        SourceToBlockTrayDistance=650, BlockNumberOfPoints=4,
                                        BlockData=[-20, -20, 20, -20, 20, 20, -20, 20])])


def compensator(ds, beam):
    beam.NumberOfCompensators = 1
    beam.CompensatorSequence = Sequence([item(CompensatorNumber=1, CompensatorType="STANDARD", CompensatorID="COMP1",
                                              MaterialID="BRASS", CompensatorRows=2, CompensatorColumns=2,
                                              CompensatorPixelSpacing=[10, 10], CompensatorPosition=[-10, 10],
                                              CompensatorThicknessData=[1, 2, 3, 4])])


def bolus(ds, beam):
    beam.NumberOfBoli = 1
    beam.ReferencedBolusSequence = Sequence([item(ReferencedROINumber=5)])


def fff(ds, beam):
    beam.PrimaryFluenceModeSequence = Sequence([item(FluenceMode="NON_STANDARD", FluenceModeID="FFF")])


def energy(mv):
    def edit(ds, beam):
        beam.ControlPointSequence[0].NominalBeamEnergy = mv
    return edit


def no_energy(ds, beam):
    del beam.ControlPointSequence[0].NominalBeamEnergy


def electron(ds, beam):
    beam.RadiationType = "ELECTRON"
    beam.ApplicatorSequence = Sequence([item(ApplicatorID="A10", ApplicatorType="ELECTRON_SQUARE")])


def applicator(ds, beam):
    beam.ApplicatorSequence = Sequence([item(ApplicatorID="CONE10", ApplicatorType="STEREOTACTIC")])


def accessory(ds, beam):
    beam.GeneralAccessorySequence = Sequence([item(GeneralAccessoryNumber=1, GeneralAccessoryID="GRAT1",
                                                   GeneralAccessoryType="GRATICULE")])


def range_shifter(ds, beam):
    beam.NumberOfRangeShifters = 1
    beam.RangeShifterSequence = Sequence([item(RangeShifterNumber=1, RangeShifterID="RS5", RangeShifterType="BINARY")])


def setter(keyword, value, control_point=None):
    def edit(ds, beam):
        setattr(beam.ControlPointSequence[control_point] if control_point is not None else beam, keyword, value)
    return edit


def shielding(ds, beam):
    ds.PatientSetupSequence[0].ShieldingDeviceSequence = Sequence([item(ShieldingDeviceType="EYE", ShieldingDeviceLabel="EYE-L")])


def position(value):
    def edit(ds, beam):
        ds.PatientSetupSequence[0].PatientPosition = value
    return edit


def no_setup(ds, beam):
    del ds.PatientSetupSequence


EDITS = {
    "none": lambda ds, beam: None,
    "wedge-standard": wedge("STANDARD", "W30", 30, ["IN", "IN"]),
    "wedge-edw": wedge("DYNAMIC", "EDW60OUT", 60, ["IN", "IN"]),
    "wedge-virtual": wedge("DYNAMIC", "VW30", 30, ["IN", "IN"]),
    "wedge-motorized": wedge("MOTORIZED", "MW60", 60, ["IN", "IN"]),
    "wedge-motorized-out": wedge("MOTORIZED", "MW60", 60, ["OUT", "OUT"]),
    "wedge-count-only": setter("NumberOfWedges", 1),
    "block": block,
    "compensator": compensator,
    "bolus": bolus,
    "fff": fff,
    "energy-10": energy(10),
    "energy-missing": no_energy,
    "electron": electron,
    "applicator": applicator,
    "accessory": accessory,
    "range-shifter": range_shifter,
    "dosimeter-minute": setter("PrimaryDosimeterUnit", "MINUTE"),
    "tbi": setter("HighDoseTechniqueType", "TBI"),
    "table-pitch": setter("TableTopPitchAngle", 3, 0),
    "table-roll": setter("TableTopRollAngle", 2, 0),
    "table-eccentric": setter("TableTopEccentricAngle", 10, 0),
    "shielding": shielding,
    "position-hfp": position("HFP"),
    "position-sitting": position("SITTING"),
    "position-missing": position(""),
    "no-setup": no_setup,
}

if sys.argv[1:] == ["--list"]:
    print("\n".join(EDITS))
    sys.exit(0)

name, out = sys.argv[1], sys.argv[2]
ds = pydicom.dcmread(get_testdata_file("rtplan.dcm"))
EDITS[name](ds, ds.BeamSequence[0])
ds.save_as(out, write_like_original=False)
print(out)
