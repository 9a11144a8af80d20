"""Signing adapters (pyHanko): PKCS#12, PKCS#11, demo CA; building, signing, sealing, verifying copies."""
